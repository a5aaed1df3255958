import { NestExpressApplication } from '@nestjs/platform-express';
import { AsyncLocalStorage } from 'node:async_hooks';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { AgencyKind, Role } from '@homeward/domain';
import { FixedClock, runInAmbientTransaction } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { eventually, untilALockIsAwaited } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp, enrolActiveSubject } from '../../test/correction-harness';
import { INGEST_SQL, MonitoringService } from './monitoring.service';

jest.setTimeout(60_000);

/** Statements issued inside one async call chain (background timers do not inherit the store). */
const statements = new AsyncLocalStorage<string[]>();
const originalQuery = PostgresQueryRunner.prototype.query;
jest.spyOn(PostgresQueryRunner.prototype, 'query').mockImplementation(function (this: PostgresQueryRunner, ...args: Parameters<typeof originalQuery>) {
  statements.getStore()?.push(String(args[0]));
  return originalQuery.apply(this, args);
});

const INSIDE_104 = { lat: 31.75, lng: 120.33 };
/** Downtown 澄江: another town, but inside the county (CC-12: the allowed area is the county). */
const CHENGJIANG = { lat: 31.905, lng: 120.275 };
/** Wuxi city centre: outside the county. */
const WUXI = { lat: 31.49, lng: 120.31 };

describe('CC-12 electronic location (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  let service: MonitoringService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600 * 24 * 365, now: clock.now() });
  const platform = keys.mint(partnerPrincipal(AgencyKind.MONITORING_PLATFORM), { expiresInSeconds: 3600 * 24 * 365, now: clock.now() });
  const bureau = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'], username: 'bureau' }), { expiresInSeconds: 3600 * 24 * 365, now: clock.now() });
  const officer104 = keys.mint(staffPrincipal({ towns: ['104'] }), { expiresInSeconds: 3600 * 24 * 365, now: clock.now() });
  const officer107 = keys.mint(staffPrincipal({ towns: ['107'] }), { expiresInSeconds: 3600 * 24 * 365, now: clock.now() });

  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const postFixes = (fixes: object[], key = `FIX-${Math.random()}`, token = platform) =>
    request(app.getHttpServer()).post('/api/v1/correction/location-fixes').set('authorization', `Bearer ${token}`).set('idempotency-key', key).send({ fixes });
  const outbox = (name: string) => ds.query(`SELECT payload FROM correction.bus_outbox WHERE name = $1 ORDER BY seq`, [name]);

  /** An ACTIVE subject of town 104 (enrolled through the partner API; activation is another feature's, so set here). */
  const activeSubject = (idNumber: string, town = '104') => enrolActiveSubject(svc, court, { idNumber, town });

  const APPROVE = `mutation($input: ApproveMonitoringInput!) { approveElectronicMonitoring(input: $input) { id status statusLabel ground groundLabel endDate deviceId town { code } } }`;
  const approve = (token: string, input: Record<string, unknown>) => gql(token, APPROVE, { input });
  const approval = (subjectId: string, over: Record<string, unknown> = {}) => ({
    subjectId,
    ground: 'PUBLIC_SECURITY_PENALTY',
    deviceId: 'DEV-1',
    startDate: '2026-11-20',
    endDate: '2027-02-19',
    approvedBy: '李局长',
    ...over,
  });

  beforeAll(async () => {
    svc = await bootCorrectionApp({
      label: 'ccmon',
      clock,
      keys,
      env: {
        // The tests call the check; the periodic one must not race them.
        MONITORING_SILENT_CHECK_SECONDS: '3600',
      },
    });
    ({ app, dataSource: ds } = svc);
    service = app.get(MonitoringService);
  });

  afterAll(async () => {
    await svc?.close();
  });

  let subjectId: string;
  let monitoringId: string;

  it('CC-12: more than 3 months is refused; a town officer cannot approve (the county bureau head approves)', async () => {
    subjectId = await activeSubject('11010519491231002X');
    const long = await approve(bureau, approval(subjectId, { endDate: '2027-02-20' })).expect(200);
    expect(long.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', domainCode: 'VALIDATION_FAILED' });
    expect(long.body.errors[0].message).toContain('3 months');
    const byOfficer = await approve(officer104, approval(subjectId)).expect(200);
    expect(byOfficer.body.errors[0].extensions.code).toBe('FORBIDDEN');
    // A ground outside the five is not even a value of the enum: the request is rejected as malformed.
    const badGround = await approve(bureau, approval(subjectId, { ground: 'CURFEW' })).expect(400);
    expect(badGround.body.errors[0].message).toContain('MonitoringGround');
    expect(await ds.query(`SELECT id FROM correction.monitorings`)).toHaveLength(0);
  });

  it('CC-12: the bureau approves on a legal ground for 3 months; the event carries the expiry reminder day (5 working days before)', async () => {
    const res = await approve(bureau, approval(subjectId)).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.approveElectronicMonitoring).toMatchObject({
      status: 'ACTIVE',
      statusLabel: '使用中',
      ground: 'PUBLIC_SECURITY_PENALTY',
      groundLabel: '违反监督管理规定，被给予治安管理处罚',
      endDate: '2027-02-19',
      town: { code: '104' },
    });
    monitoringId = res.body.data.approveElectronicMonitoring.id;
    const [event] = await outbox('correction.monitoring.approved');
    expect(event.payload).toMatchObject({ monitoringId, subjectId, town: '104', endDate: '2027-02-19', warnOn: '2027-02-12' });
    expect(await svc.db.query(`SELECT 1 FROM audit.events WHERE action = 'correction.monitoring.approve' AND entity_id = $1`, [monitoringId])).toHaveLength(1);
  });

  it('CC-12: a second approval for the same subject, or the same device for another subject, is a conflict', async () => {
    const again = await approve(bureau, approval(subjectId, { deviceId: 'DEV-9' })).expect(200);
    expect(again.body.errors[0].extensions.code).toBe('CONFLICT');
    const other = await activeSubject('110101199003077758');
    const device = await approve(bureau, approval(other)).expect(200);
    expect(device.body.errors[0].extensions.code).toBe('CONFLICT');
  });

  it('another town\'s officer sees nothing of it', async () => {
    const q = `query($id: ID!) { electronicMonitoring(id: $id) { id } }`;
    expect((await gql(officer107, q, { id: monitoringId }).expect(200)).body.data.electronicMonitoring).toBeNull();
    expect((await gql(officer104, q, { id: monitoringId }).expect(200)).body.data.electronicMonitoring).toEqual({ id: monitoringId });
    const list = await gql(officer107, `{ electronicMonitorings(first: 10) { totalCount } }`).expect(200);
    expect(list.body.data.electronicMonitorings.totalCount).toBe(0);
  });

  it('location fixes: only the monitoring platform may post (403), 1–1000 a call (400 otherwise)', async () => {
    const fix = { deviceId: 'DEV-1', at: '2026-11-20T10:05:00+08:00', ...INSIDE_104 };
    await postFixes([fix], 'K-court', court).expect(403);
    await postFixes([]).expect(400);
    await postFixes(Array.from({ length: 1001 }, () => fix)).expect(400);
    await postFixes([{ ...fix, lat: 91 }]).expect(400);
    await postFixes([{ ...fix, at: '2026-11-20 10:05' }]).expect(400);
  });

  it('CC-12: fixes of a mapped device are accepted (202); unknown devices and fixes before the approval are not stored', async () => {
    const res = await postFixes([
      { deviceId: 'DEV-1', at: '2026-11-20T10:05:00+08:00', ...INSIDE_104, accuracyM: 12 },
      { deviceId: 'DEV-UNKNOWN', at: '2026-11-20T10:05:00+08:00', ...INSIDE_104 },
      { deviceId: 'DEV-1', at: '2026-11-19T10:05:00+08:00', ...INSIDE_104 },
    ]).expect(202);
    expect(res.body).toEqual({ accepted: 1, unmatched: 2 });
    const [fix] = await ds.query(`SELECT subject_id, outside, accuracy_m FROM correction.location_fixes`);
    expect(fix).toEqual({ subject_id: subjectId, outside: false, accuracy_m: 12 });
    expect(await outbox('correction.location.breach')).toHaveLength(0);
  });

  it('CC-12: a batch of 1,000 fixes is ONE SQL statement (in its transaction; no breach, so no outbox write)', async () => {
    const base = new Date('2026-11-20T03:00:00Z').getTime();
    const fixes = Array.from({ length: 1000 }, (_, i) => ({ deviceId: 'DEV-1', at: new Date(base + i * 1000).toISOString(), lat: INSIDE_104.lat + i * 1e-6, lng: INSIDE_104.lng }));
    const issued: string[] = [];
    const result = await statements.run(issued, () => service.ingest(fixes));
    expect(result).toEqual({ accepted: 1000, unmatched: 0, breaches: 0 });
    const data = issued.filter((sql) => !/^(START TRANSACTION|COMMIT|ROLLBACK)/.test(sql.trim()));
    expect(data).toEqual([INGEST_SQL]);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM correction.location_fixes`);
    expect(n).toBe(1001);
    // The same through HTTP: 202 with all accepted.
    const http = await postFixes(fixes.map((f) => ({ ...f, at: new Date(new Date(f.at).getTime() + 3_600_000).toISOString() }))).expect(202);
    expect(http.body.accepted).toBe(1000);
  });

  it('issue 13 S2: the ingest statement reads correction.monitorings once for the mapping and once locked for the decision (and the UPDATE finds its rows again), no more', async () => {
    const payload = JSON.stringify([{ deviceId: 'DEV-1', at: '2026-11-20T11:00:00+08:00', ...INSIDE_104, accuracyM: null }]);
    const [{ 'QUERY PLAN': [plan] }] = await ds.query(`EXPLAIN (FORMAT JSON) ${INGEST_SQL}`, [payload, '((120,31),(121,31),(121,32),(120,32))', clock.now()]);
    type Node = { 'Node Type': string; 'Relation Name'?: string; Plans?: Node[] };
    const scans = (n: Node): string[] => [
      ...(n['Relation Name'] === 'monitorings' && n['Node Type'] !== 'ModifyTable' ? [n['Node Type']] : []),
      ...(n.Plans ?? []).flatMap(scans),
    ];
    // the mapping's read, the decision's locking read (session 14: the decision from the row as it is now), the UPDATE's lookup
    expect(scans(plan.Plan as Node)).toHaveLength(3);
  });

  it('CC-12 (issue 7 item 3): a 徐霞客镇 subject downtown in 澄江 is within the county: no breach', async () => {
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T14:00:00+08:00', ...CHENGJIANG }]).expect(202);
    expect(await outbox('correction.location.breach')).toHaveLength(0);
    const [fix] = await ds.query(`SELECT outside FROM correction.location_fixes WHERE at = '2026-11-20T14:00:00+08:00'`);
    expect(fix.outside).toBe(false);
  });

  it('CC-12: a fix outside the county publishes one breach event per breach episode (ORANGE, not a key person)', async () => {
    await postFixes([
      { deviceId: 'DEV-1', at: '2026-11-20T15:00:00+08:00', ...WUXI },
      { deviceId: 'DEV-1', at: '2026-11-20T15:05:00+08:00', ...WUXI },
    ]).expect(202);
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T15:10:00+08:00', ...WUXI }]).expect(202);
    let events = await outbox('correction.location.breach');
    expect(events).toHaveLength(1);
    expect(events[0].payload).toEqual({ monitoringId, subjectId, personKey: expect.any(String), town: '104', at: '2026-11-20T07:00:00.000Z', keyPerson: false });
    expect(JSON.stringify(events[0].payload)).not.toContain('31.49');
    // Back inside, then out again: a new episode.
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T16:00:00+08:00', ...INSIDE_104 }]).expect(202);
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T17:00:00+08:00', ...WUXI }]).expect(202);
    events = await outbox('correction.location.breach');
    expect(events).toHaveLength(2);
  });

  it('CC-12: a key person\'s breach is flagged keyPerson (alerts raise it RED)', async () => {
    await ds.query(`INSERT INTO correction.key_person_determinations (id, town, month, version, recorded_by) VALUES ('00000000-0000-4000-8000-000000000001', '104', '2026-11', 1, 'officer')`);
    await ds.query(
      `INSERT INTO correction.key_person_entries (determination_id, subject_id, reasons, flag_level, transformation_progress) VALUES ('00000000-0000-4000-8000-000000000001', $1, '{"测试"}', 'TOWN', 'NOT_STARTED')`,
      [subjectId],
    );
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T18:00:00+08:00', ...INSIDE_104 }]).expect(202);
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T18:30:00+08:00', ...WUXI }]).expect(202);
    const events = await outbox('correction.location.breach');
    expect(events).toHaveLength(3);
    expect(events[2].payload.keyPerson).toBe(true);
  });

  it('CC-12: device silent for 2 h (cfg) publishes correction.device.silent once per silence', async () => {
    // Last fix 18:30 Shanghai (10:30Z); silent from 12:30Z.
    clock.set(new Date('2026-11-20T12:29:00Z'));
    expect(await service.checkSilentDevices()).toBe(0);
    clock.set(new Date('2026-11-20T12:30:00Z'));
    expect(await service.checkSilentDevices()).toBe(1);
    expect(await service.checkSilentDevices()).toBe(0);
    const [silent] = await outbox('correction.device.silent');
    expect(silent.payload).toMatchObject({ monitoringId, subjectId, town: '104', lastFixAt: '2026-11-20T10:30:00.000Z' });
    // A new fix ends the silence; two more hours without one is a new silence.
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T20:40:00+08:00', ...INSIDE_104 }]).expect(202);
    expect(await service.checkSilentDevices()).toBe(0);
    clock.set(new Date('2026-11-20T14:40:00Z'));
    expect(await service.checkSilentDevices()).toBe(1);
    expect(await outbox('correction.device.silent')).toHaveLength(2);
  });

  it('CC-12: an extension of at most 3 months (refused beyond), by the bureau; history kept', async () => {
    const EXTEND = `mutation($input: ExtendMonitoringInput!) { extendElectronicMonitoring(input: $input) { endDate extensions { previousEndDate endDate approvedBy } } }`;
    const tooLong = await gql(bureau, EXTEND, { input: { monitoringId, newEndDate: '2027-05-20', approvedBy: '李局长', reason: '评估后仍需使用' } }).expect(200);
    expect(tooLong.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', domainCode: 'VALIDATION_FAILED' });
    const ok = await gql(bureau, EXTEND, { input: { monitoringId, newEndDate: '2027-05-19', approvedBy: '李局长', reason: '评估后仍需使用' } }).expect(200);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.extendElectronicMonitoring).toEqual({
      endDate: '2027-05-19',
      extensions: [{ previousEndDate: '2027-02-19', endDate: '2027-05-19', approvedBy: '李局长' }],
    });
    const [extended] = await outbox('correction.monitoring.extended');
    expect(extended.payload).toMatchObject({ monitoringId, previousEndDate: '2027-02-19', endDate: '2027-05-19' });
  });

  it('CC-12 (issue 7 item 3): a zone of a prohibition order in force is a breach inside the county; before its start and after its end it is not', async () => {
    const ADD = `mutation($i: AddProhibitionZoneInput!) { addProhibitionZone(input: $i) { id place startDate endDate inForce } }`;
    // A box around downtown 澄江 (a bar street, say), in force on 2026-11-21 only.
    const area = { minLat: 31.9, minLng: 120.27, maxLat: 31.91, maxLng: 120.28 };
    const foreign = await gql(officer107, ADD, { i: { subjectId, place: '某酒吧街', area, startDate: '2026-11-21', endDate: '2026-11-21' } }).expect(200);
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const bad = await gql(officer104, ADD, { i: { subjectId, place: '某酒吧街', area, startDate: '2026-11-21', endDate: '2026-11-20' } }).expect(200);
    expect(bad.body.errors[0].extensions.code).toBe('DATE_RANGE_INVALID');
    const res = await gql(officer104, ADD, { i: { subjectId, place: '某酒吧街', area, startDate: '2026-11-21', endDate: '2026-11-21' } }).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.addProhibitionZone).toMatchObject({ place: '某酒吧街', startDate: '2026-11-21', endDate: '2026-11-21', inForce: false });
    const before = (await outbox('correction.location.breach')).length;
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T19:00:00+08:00', ...INSIDE_104 }]).expect(202);
    // the day before the order applies: no breach
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T20:00:00+08:00', ...CHENGJIANG }]).expect(202);
    expect(await outbox('correction.location.breach')).toHaveLength(before);
    // while it applies: a breach although 澄江 is in the county
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-21T09:00:00+08:00', ...CHENGJIANG }]).expect(202);
    expect(await outbox('correction.location.breach')).toHaveLength(before + 1);
    // the day after it ends, back in the same place: no new episode once back to normal
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-21T10:00:00+08:00', ...INSIDE_104 }]).expect(202);
    await postFixes([{ deviceId: 'DEV-1', at: '2026-11-22T09:00:00+08:00', ...CHENGJIANG }]).expect(202);
    expect(await outbox('correction.location.breach')).toHaveLength(before + 1);
    expect(await svc.db.query(`SELECT 1 FROM audit.events WHERE action = 'correction.prohibition-zone.add' AND outcome = 'SUCCESS'`)).toHaveLength(1);
  });

  it('CC-12: lifting ends it (event); lifting again is an illegal transition; its device then maps to nobody', async () => {
    const END = `mutation($input: EndMonitoringInput!) { endElectronicMonitoring(input: $input) { status endedOn } }`;
    const foreign = await gql(officer107, END, { input: { monitoringId, reason: '解除' } }).expect(200);
    expect(foreign.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const res = await gql(officer104, END, { input: { monitoringId, reason: '表现良好，解除' } }).expect(200);
    expect(res.body.data.endElectronicMonitoring).toEqual({ status: 'ENDED', endedOn: '2026-11-20' });
    const again = await gql(officer104, END, { input: { monitoringId, reason: '解除' } }).expect(200);
    expect(again.body.errors[0].extensions.code).toBe('ILLEGAL_TRANSITION');
    expect(await outbox('correction.monitoring.ended')).toHaveLength(1);
    const after = await postFixes([{ deviceId: 'DEV-1', at: '2026-11-20T23:00:00+08:00', ...INSIDE_104 }]).expect(202);
    expect(after.body).toEqual({ accepted: 0, unmatched: 1 });
  });

  it('CC-12 (issue 8 item 4): breaches of several devices in one batch are published through the bus in ONE outbox insert, and relayed', async () => {
    const devices = ['DEV-8', 'DEV-9'];
    const monitorings: string[] = [];
    const idNumbers = ['320281198001011001', '32028119800101101X'];
    for (const [i, deviceId] of devices.entries()) {
      const sid = await activeSubject(idNumbers[i]);
      const res = await approve(bureau, approval(sid, { deviceId })).expect(200);
      expect(res.body.errors).toBeUndefined();
      monitorings.push(res.body.data.approveElectronicMonitoring.id);
    }
    const issued: string[] = [];
    const result = await statements.run(issued, () =>
      service.ingest(devices.map((deviceId, i) => ({ deviceId, at: `2026-11-20T23:${10 + i}:00+08:00`, ...WUXI }))),
    );
    expect(result).toEqual({ accepted: 2, unmatched: 0, breaches: 2 });
    const data = issued.filter((sql) => !/^(START TRANSACTION|COMMIT|ROLLBACK)/.test(sql.trim()));
    expect(data.filter((sql) => sql.includes('bus_outbox'))).toHaveLength(1);
    expect(data).toHaveLength(2); // the ingest, the outbox insert of both events (with the relay's wake-up in it, issue 13 S2)
    expect(data.find((sql) => sql.includes('bus_outbox'))).toContain('pg_notify');
    const rows: Array<{ payload: { monitoringId: string; town: string; keyPerson: boolean } }> = await ds.query(
      `SELECT payload FROM correction.bus_outbox WHERE name = 'correction.location.breach' AND payload->>'monitoringId' = ANY($1) ORDER BY payload->>'at'`,
      [monitorings],
    );
    expect(rows.map((r) => r.payload)).toEqual(monitorings.map((m) => expect.objectContaining({ monitoringId: m, town: '104', keyPerson: false })));
    const relayed = await eventually(
      () => ds.query(`SELECT relayed_at FROM correction.bus_outbox WHERE name = 'correction.location.breach' AND payload->>'monitoringId' = ANY($1) AND relayed_at IS NOT NULL`, [monitorings]),
      (r) => r.length === 2,
      { timeoutMs: 15_000 },
    );
    expect(relayed).toHaveLength(2);
  });

  it('CC-12: a batch that waits for another batch of the same device decides from what that batch left — no second breach event for one episode, the last fix never moved back', async () => {
    const sid = await activeSubject('320281198001011028');
    const res = await approve(bureau, approval(sid, { deviceId: 'DEV-RACE' })).expect(200);
    const mid: string = res.body.data.approveElectronicMonitoring.id;
    const breaches = async () =>
      (await ds.query(`SELECT 1 FROM correction.bus_outbox WHERE name = 'correction.location.breach' AND payload->>'monitoringId' = $1`, [mid])).length;
    // batch B: the device out of the county at 23:40, its transaction still open when batch A arrives
    let commitB!: () => void;
    const bHeld = new Promise<void>((resolve) => (commitB = resolve));
    let bIngested!: () => void;
    const bIn = new Promise<void>((resolve) => (bIngested = resolve));
    const b = ds.transaction(async (m) => {
      const result = await runInAmbientTransaction(m, () => service.ingest([{ deviceId: 'DEV-RACE', at: '2026-11-21T23:40:00+08:00', ...WUXI }]));
      bIngested();
      await bHeld;
      return result;
    });
    await bIn;
    // batch A: a fix of the same episode that the platform sends late (23:35), while B is open
    const a = service.ingest([{ deviceId: 'DEV-RACE', at: '2026-11-21T23:35:00+08:00', ...WUXI }]);
    await untilALockIsAwaited(ds);
    commitB();
    expect(await b).toEqual({ accepted: 1, unmatched: 0, breaches: 1 });
    expect(await a).toEqual({ accepted: 1, unmatched: 0, breaches: 0 });
    expect(await breaches()).toBe(1);
    const [row] = await ds.query(`SELECT last_fix_at, breach_since FROM correction.monitorings WHERE id = $1`, [mid]);
    expect(row.last_fix_at.toISOString()).toBe('2026-11-21T15:40:00.000Z');
    expect(row.breach_since.toISOString()).toBe('2026-11-21T15:40:00.000Z');
    expect(await ds.query(`SELECT at FROM correction.location_fixes WHERE monitoring_id = $1 ORDER BY at`, [mid])).toHaveLength(2);
  });
});

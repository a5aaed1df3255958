import { randomUUID } from 'node:crypto';
import { NestExpressApplication } from '@nestjs/platform-express';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PeriodKind, Role, periodRange } from '@homeward/domain';
import { FieldCipher, FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { TEST_FIELD_ENCRYPTION_KEY } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';
import { ReoffenceEventsHandler } from './reoffence-events.handler';
import { IndicatorSnapshotPublisher } from './indicator-snapshot.publisher';
import { INDICATOR_READS_AT_ONCE } from './indicators.service';

/** Person columns are FieldCipher tokens at rest (issue 6 item 2). */
const enc = (s: string) => new FieldCipher({ FIELD_ENCRYPTION_KEY: TEST_FIELD_ENCRYPTION_KEY }).encrypt(s);

jest.setTimeout(60_000);

/** Raw body of a download (supertest buffers binary only when asked). */
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('correction indicators K-CC1…K-CC7 and the monthly statistics export (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-07-10T02:00:00Z'));
  const officer104 = keys.mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() });
  const cityAdmin = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
  const socialWorker = keys.mint(staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'] }), { now: clock.now() });

  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const exportUrl = (q: string) => `/api/v1/correction/exports/monthly-statistics?${q}`;

  let seq = 0;
  /** A subject row as the lifecycle leaves it (the columns the indicators read). */
  async function subject(town: string, o: { activatedOn?: string | null; reportDeadline?: string; reportedOn?: string | null; endedOn?: string } = {}): Promise<string> {
    seq += 1;
    const status = o.endedOn ? 'DISCHARGED' : o.activatedOn ? 'ACTIVE' : 'PENDING_REPORT';
    const rows: { id: string }[] = await ds.query(
      `INSERT INTO correction.subjects (person_key, id_number_cipher, masked_id_number, name_cipher, name_index, gender, birth_date_cipher, town, sentence_type,
         judgment_document_no, judgment_effective_date, correction_start_date, correction_end_date, offence_cipher, deciding_authority,
         enrolled_by_agency, status, report_deadline, documents_deadline, reported_on, activated_on, ended_on, end_reason)
       VALUES ($1, $10, '110105********002X', $11, $1, 'MALE', $12, $2, 'PROBATION', $3, '2026-01-01', '2026-01-01', '2027-12-31',
         $13, '江阴市人民法院', 'court-1', $4, $5, $5, $6, $7, $8, $9) RETURNING id`,
      [
        String(seq).padStart(64, '0'),
        town,
        `DOC-${seq}`,
        status,
        o.reportDeadline ?? '2026-01-11',
        o.reportedOn === undefined ? (o.activatedOn ?? null) : o.reportedOn,
        o.activatedOn ?? null,
        o.endedOn ?? null,
        o.endedOn ? 'EXPIRED' : null,
        enc('11010519491231002X'),
        enc('测试'),
        enc('1980-01-01'),
        enc('盗窃罪'),
      ],
    );
    return rows[0].id;
  }

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc-kpi', clock, keys, env: { CORRECTION_CENTRE_TOWNS: '104' } });
    ({ app, dataSource: ds } = svc);

    // Town 104: 4 active subjects (3 with an approved plan, 1 monitored, 1 lost contact in June),
    // 2 report-in deadlines in June (1 on time, 1 late), 1 subject discharged in May (not counted in June).
    const a1 = await subject('104', { activatedOn: '2026-03-01' });
    const a2 = await subject('104', { activatedOn: '2026-03-01' });
    const a3 = await subject('104', { activatedOn: '2026-06-05', reportDeadline: '2026-06-10', reportedOn: '2026-06-04' });
    const a4 = await subject('104', { activatedOn: '2026-06-20', reportDeadline: '2026-06-12', reportedOn: '2026-06-15' });
    await subject('104', { activatedOn: '2026-01-05', endedOn: '2026-05-20' });
    for (const id of [a1, a2, a3]) {
      await ds.query(`INSERT INTO correction.plans (subject_id, content, approved, approved_by, approved_on) VALUES ($1, '方案', true, 'officer', '2026-06-01')`, [id]);
    }
    await ds.query(`INSERT INTO correction.plans (subject_id, content) VALUES ($1, '草案')`, [a4]);
    await ds.query(
      `INSERT INTO correction.monitorings (subject_id, person_key, town, ground, device_id, approved_by, recorded_by, start_date, end_date, starts_at, ends_at, status)
       VALUES ($1, 'k', '104', 'PUBLIC_SECURITY_PENALTY', 'DEV-1', '局长', 'officer', '2026-06-01', '2026-08-31', '2026-06-01', '2026-08-31', 'ACTIVE')`,
      [a1],
    );
    await ds.query(`UPDATE correction.subjects SET lost_contact_on = '2026-06-18' WHERE id = $1`, [a2]);
    await ds.query(`INSERT INTO correction.absconding_episodes (subject_id, lost_contact_on, recorded_by) VALUES ($1, '2026-06-18', 'officer')`, [a2]);
    // K-CC3: two subjects in need in June, one of them given assistance in June; a need met in May is not counted.
    const need = (id: string, recorded: string, given: string | null) =>
      ds.query(
        `INSERT INTO correction.assistance_needs (subject_id, person_key, town, kind, description, recorded_on, recorded_by, status, given_on, given_by)
         VALUES ($1, 'k', '104', 'TEMPORARY_RELIEF', '临时救助', $2, 'officer', $3, $4, $5)`,
        [id, recorded, given ? 'MET' : 'OPEN', given, given ? 'officer' : null],
      );
    await need(a1, '2026-06-02', '2026-06-20');
    await need(a2, '2026-05-10', null);
    await need(a3, '2026-05-01', '2026-05-15');
    // Investigations in 104: two completed in June, one after its due date.
    for (const [due, done] of [
      ['2026-06-15', '2026-06-12'],
      ['2026-06-15', '2026-06-16'],
    ]) {
      await ds.query(
        `INSERT INTO correction.investigations (person_key, id_number_cipher, masked_id_number, name_cipher, name_index, town, requester_agency_id, requester_agency_kind,
           requesting_document_no, proposed_sentence_type, expedited, offence_cipher, received_date, original_due_date, due_date, status, opinion, completed_on)
         VALUES ('k', $3, 'm', $4, 'k', '104', 'court-1', 'COURT', 'REQ', 'PROBATION', false, $5, '2026-06-01', $1, $1, 'COMPLETED', 'SUITABLE', $2)`,
        [due, done, enc('11010519491231002X'), enc('测试'), enc('盗窃罪')],
      );
    }
    // Town 107: 2 active subjects without plans.
    await subject('107', { activatedOn: '2026-02-01' });
    await subject('107', { activatedOn: '2026-02-01' });
  });

  afterAll(async () => {
    await svc?.close();
  });

  const TOWN_QUERY = `query($reps: [_Any!]!, $period: PeriodInput!) {
    _entities(representations: $reps) { ... on Town { code correctionIndicators(period: $period) {
      period periodKind periodKindLabel town indicators { code label value numerator denominator target } } } } }`;
  const june = { kind: 'MONTH', year: 2026, number: 6 };
  const byCode = (set: { indicators: { code: string }[] }) => Object.fromEntries(set.indicators.map((i) => [i.code, i]));

  it('K-CC1…K-CC7 of a town for a month: numerators, denominators, values and targets', async () => {
    const res = await gql(officer104, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '104' }], period: june }).expect(200);
    expect(res.body.errors).toBeUndefined();
    const set = res.body.data._entities[0].correctionIndicators;
    expect(set).toMatchObject({ period: '2026-06', periodKind: 'MONTH', periodKindLabel: '月度', town: '104' });
    const k = byCode(set);
    expect(k['K-CC1']).toEqual({ code: 'K-CC1', label: '个案矫正率', numerator: 3, denominator: 4, value: 0.75, target: 1 });
    expect(k['K-CC2']).toMatchObject({ numerator: 1, denominator: 4, target: null });
    expect(k['K-CC3']).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect(k['K-CC4']).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect(k['K-CC5']).toMatchObject({ numerator: 1, denominator: 4, target: 0 });
    expect(k['K-CC6']).toMatchObject({ numerator: 1, denominator: 2 });
    expect(k['K-CC7']).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
  });

  it('K-CC5 counts subjects under correction at some time in the period: the May discharge is in for Q2, absconding is not', async () => {
    const res = await gql(officer104, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '104' }], period: { kind: 'QUARTER', year: 2026, number: 2 } }).expect(200);
    const k = byCode(res.body.data._entities[0].correctionIndicators);
    expect(k['K-CC5']).toMatchObject({ numerator: 1, denominator: 5 });
    const march = await gql(officer104, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '104' }], period: { kind: 'MONTH', year: 2026, number: 3 } }).expect(200);
    const m = byCode(march.body.data._entities[0].correctionIndicators);
    expect(m['K-CC1']).toMatchObject({ numerator: 0, denominator: 3 }); // plans approved only in June
    expect(m['K-CC5']).toMatchObject({ numerator: 0 });
  });

  it('a town officer gets null for another town\'s indicators, never the numbers', async () => {
    const res = await gql(officer104, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '107' }], period: june }).expect(200);
    expect(res.body.data._entities[0].correctionIndicators).toBeNull();
  });

  it('the city: CITY_ADMIN sees the sum over all towns; a town officer or social worker is refused', async () => {
    const q = `query($period: PeriodInput!) { cityCorrectionIndicators(period: $period) { town period indicators { code numerator denominator value } } }`;
    const res = await gql(cityAdmin, q, { period: june }).expect(200);
    expect(res.body.errors).toBeUndefined();
    const k = byCode(res.body.data.cityCorrectionIndicators);
    expect(k['K-CC1']).toMatchObject({ numerator: 3, denominator: 6, value: 0.5 });
    expect(k['K-CC7']).toMatchObject({ numerator: 1, denominator: 21 });
    for (const token of [officer104, socialWorker]) {
      const denied = await gql(token, q, { period: june }).expect(200);
      expect(denied.body.data).toBeNull();
      expect(denied.body.errors[0].extensions.code).toBeDefined();
    }
  });

  it('issue 13 S5: three city requests at once hold at most INDICATOR_READS_AT_ONCE connections for their reads, and still answer the same', async () => {
    const q = `query($period: PeriodInput!) { cityCorrectionIndicators(period: $period) { indicators { code numerator denominator } } }`;
    const alone = (await gql(cityAdmin, q, { period: june }).expect(200)).body.data;
    let inFlight = 0;
    let most = 0;
    const query = ds.query.bind(ds);
    ds.query = (async (sql: string, params?: unknown[]) => {
      const counted = /\btown\b/.test(sql);
      if (counted) most = Math.max(most, ++inFlight);
      try {
        return await query(sql, params);
      } finally {
        if (counted) inFlight -= 1;
      }
    }) as DataSource['query'];
    try {
      const answers = await Promise.all([1, 2, 3].map(() => gql(cityAdmin, q, { period: june }).expect(200)));
      for (const a of answers) expect(a.body.data).toEqual(alone);
    } finally {
      ds.query = query;
    }
    // six reads a request: unbounded, the three requests had up to 18 out at once (10 connections in the pool)
    expect(most).toBeGreaterThanOrEqual(2);
    expect(most).toBeLessThanOrEqual(INDICATOR_READS_AT_ONCE);
  });

  it('several towns in one request cost one batch; bad periods are refused', async () => {
    const res = await gql(cityAdmin, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '104' }, { __typename: 'Town', code: '107' }], period: june }).expect(200);
    expect(res.body.data._entities.map((t: { correctionIndicators: { town: string } }) => t.correctionIndicators.town)).toEqual(['104', '107']);
    const audits = await svc.db.query(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'correction.indicators.read' AND towns @> ARRAY['104','107']`);
    expect(audits[0].n).toBe(1);
    const bad = await gql(cityAdmin, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '104' }], period: { kind: 'MONTH', year: 2026, number: 13 } }).expect(200);
    expect(bad.body.errors).toBeDefined();
  });

  it('CSV export: UTF-8 with BOM, Chinese headers, only the caller\'s towns, audited', async () => {
    const res = await request(app.getHttpServer()).get(exportUrl('month=2026-06&format=csv')).set('authorization', `Bearer ${officer104}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toContain('correction-monthly-statistics-2026-06.csv');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0].split(',').slice(0, 6)).toEqual(['统计月份', '镇街代码', '镇街名称', '个案矫正率(%)', '个案矫正率分子', '个案矫正率分母']);
    expect(lines).toHaveLength(3); // header, 104, 合计
    expect(lines[1].split(',').slice(0, 6)).toEqual(['2026-06', '104', '徐霞客镇', '75', '3', '4']);
    expect(lines.some((l) => l.includes(',107,'))).toBe(false);
    const audited = await svc.db.query(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'correction.indicators.export'`);
    expect(audited[0].n).toBeGreaterThanOrEqual(1);
  });

  it('XLSX export opens with exceljs: Chinese headers and a row per town of a CITY_ADMIN', async () => {
    const res = await request(app.getHttpServer()).get(exportUrl('month=2026-06&format=xlsx')).set('authorization', `Bearer ${cityAdmin}`).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(4).value).toBe('个案矫正率(%)');
    expect(ws.rowCount).toBe(1 + 21 + 1);
    const row107 = ws.getRows(2, 22)!.find((r) => r.getCell(2).value === '107')!;
    expect(row107.getCell(6).value).toBe(2);
  });

  it('enumLabels: the Chinese dictionary of shared and correction enums, filtered by name', async () => {
    const res = await gql(socialWorker, `{ enumLabels(names: ["CorrectionStatus", "SanctionKind"]) { enum value label } }`).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.enumLabels).toContainEqual({ enum: 'CorrectionStatus', value: 'ACTIVE', label: expect.stringMatching(/[\u4e00-\u9fff]/) });
    expect(new Set(res.body.data.enumLabels.map((e: { enum: string }) => e.enum))).toEqual(new Set(['CorrectionStatus', 'SanctionKind']));
  });

  it('export refusals: bad month or format → 400 problem+json; social worker or no token → 403/401', async () => {
    for (const q of ['month=2026-13', 'month=202606', 'month=2026-06&format=pdf', '']) {
      const res = await request(app.getHttpServer()).get(exportUrl(q)).set('authorization', `Bearer ${officer104}`).expect(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await request(app.getHttpServer()).get(exportUrl('month=2026-06')).set('authorization', `Bearer ${socialWorker}`).expect(403);
    await request(app.getHttpServer()).get(exportUrl('month=2026-06')).expect(401);
  });

  it('K-CC4 (issue 7 item 7): a deadline not reached yet is not a failure — July read on 07-10 counts only the deadlines passed or already met', async () => {
    // Town 110, July 2026 (the clock reads 2026-07-10): passed and late, passed and met, ahead and met, ahead and open.
    await subject('110', { reportDeadline: '2026-07-05', reportedOn: null });
    await subject('110', { reportDeadline: '2026-07-08', reportedOn: '2026-07-07' });
    await subject('110', { reportDeadline: '2026-07-25', reportedOn: '2026-07-09' });
    await subject('110', { reportDeadline: '2026-07-20', reportedOn: null });
    const cityAdminOf110 = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
    const res = await gql(cityAdminOf110, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '110' }], period: { kind: 'MONTH', year: 2026, number: 7 } }).expect(200);
    expect(res.body.errors).toBeUndefined();
    const k = byCode(res.body.data._entities[0].correctionIndicators);
    expect(k['K-CC4']).toMatchObject({ numerator: 2, denominator: 3 });
  });

  it('K-CC5 (issue 7 item 7): a correction terminated for a new offence counts as re-offending in its period', async () => {
    const id = await subject('111', { activatedOn: '2026-03-01' });
    await subject('111', { activatedOn: '2026-03-01' });
    await ds.query(`UPDATE correction.subjects SET status = 'TERMINATED', ended_on = '2026-06-20', end_reason = 'REVOKED', ended_for_new_offence = true WHERE id = $1`, [id]);
    const city = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
    const res = await gql(city, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '111' }], period: june }).expect(200);
    expect(byCode(res.body.data._entities[0].correctionIndicators)['K-CC5']).toMatchObject({ numerator: 1, denominator: 2 });
    const may = await gql(city, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '111' }], period: { kind: 'MONTH', year: 2026, number: 5 } }).expect(200);
    expect(byCode(may.body.data._entities[0].correctionIndicators)['K-CC5']).toMatchObject({ numerator: 0, denominator: 2 });
  });

  it('K-CC5 (issue 7 item 7): a re-offence police reported through resettlement counts when it falls inside the correction', async () => {
    const inside = await subject('112', { activatedOn: '2026-03-01' });
    const before = await subject('112', { activatedOn: '2026-06-10' });
    await subject('112', { activatedOn: '2026-03-01' });
    const keyOf = async (id: string) => (await ds.query(`SELECT person_key FROM correction.subjects WHERE id = $1`, [id]))[0].person_key as string;
    const handler = svc.app.get(ReoffenceEventsHandler);
    const report = async (personKey: string, offenceDate: string) =>
      ds.transaction((m) =>
        handler.onReoffence(
          {
            id: randomUUID(),
            name: 'resettlement.reoffence.reported',
            version: 1,
            occurredAt: clock.now().toISOString(),
            producer: 'resettlement',
            payload: { reportId: randomUUID(), personKey, town: null, offenceDate, releaseId: null, caseId: null, matched: false },
          },
          m,
        ),
      );
    await report(await keyOf(inside), '2026-06-15');
    await report(await keyOf(before), '2026-06-05'); // before this correction began: not re-offending during it
    const city = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
    const res = await gql(city, TOWN_QUERY, { reps: [{ __typename: 'Town', code: '112' }], period: june }).expect(200);
    expect(byCode(res.body.data._entities[0].correctionIndicators)['K-CC5']).toMatchObject({ numerator: 1, denominator: 3 });
  });

  it('issue 11 item 6: the snapshot for the town ranking carries every town in force with its K-CC counts, published through the outbox', async () => {
    const publisher = svc.app.get(IndicatorSnapshotPublisher);
    const payload = await publisher.publish(periodRange(PeriodKind.MONTH, 2026, 6));
    expect(payload).toMatchObject({ periodKind: 'MONTH', period: '2026-06', start: '2026-06-01', end: '2026-06-30' });
    const t104 = payload.towns.find((t) => t.town === '104')!;
    expect(t104.indicators.find((i) => i.code === 'K-CC1')).toEqual({ code: 'K-CC1', numerator: 3, denominator: 4 });
    expect(payload.towns.length).toBeGreaterThan(15);
    // The periodic run publishes the last closed month, quarter and year of the clock.
    clock.set(new Date('2026-07-10T02:00:00Z'));
    expect(await publisher.publishClosed()).toBe(3);
    const rows = await ds.query(`SELECT payload FROM correction.bus_outbox WHERE name = 'correction.indicators.published' ORDER BY seq`);
    expect(rows.map((r: { payload: { period: string } }) => r.payload.period)).toEqual(['2026-06', '2026-06', '2026-Q2', '2025']);
  });
});

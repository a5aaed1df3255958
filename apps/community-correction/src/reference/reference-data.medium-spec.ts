import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, COUNTY_AREA, Role, activeCalendar, correctionCentreTowns, monitoringExpiryWarningDate, isInCounty, isTownCode } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';
import { seed } from '../seed';
import { ReferenceDataService } from './reference-data.service';

jest.setTimeout(90_000);

const YEAR = 365 * 24 * 3600;
/** A 2027 notice as the State Council might publish it: 春节 02-05…02-12, Saturday 02-20 a working day. */
const OFFICIAL_2027 = {
  year: 2027,
  status: 'OFFICIAL',
  holidays: ['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-10-01', '2027-10-02', '2027-10-03'],
  workingWeekends: ['2027-02-20'],
  source: '国办发明电〔2026〕测试号',
  reason: 'the 2027 notice was published / 2027 年放假通知已发布',
};
const SET = `mutation($input: SetHolidayTableInput!) { setHolidayTable(input: $input) {
  table { year status statusLabel holidays workingWeekends source current revision recordedBy reason }
  recomputed { rule records } } }`;

describe('reference data: holiday tables, towns, centres, boundary as data (issue 7 item 10; real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  let migrator: DataSource;
  const keys = new TestKeys();
  // 2027-02-01 10:00 in Shanghai: deadlines computed now fall in the provisional 2027 table.
  const clock = new FixedClock(new Date('2027-02-01T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: YEAR, now: clock.now() });
  const court = mint(partnerPrincipal(AgencyKind.COURT));
  const procuratorate = mint(partnerPrincipal(AgencyKind.PROCURATORATE));
  const cityAdminPrincipal = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] });
  const cityAdmin = mint(cityAdminPrincipal);
  const officer = mint(staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] }));
  const http = () => request(app.getHttpServer());
  const post = (path: string, token: string, body: object) =>
    http().post(`/api/v1/correction/${path}`).set('authorization', `Bearer ${token}`).set('idempotency-key', `K-${Math.random()}`).send(body);
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) => http().post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const outbox = (name: string) => ds.query(`SELECT payload FROM correction.bus_outbox WHERE name = $1 ORDER BY seq`, [name]);

  let subjectId: string;
  let reportedId: string;
  let noticeId: string;
  let investigationId: string;
  let monitoringId: string;
  let warnBefore: string;

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'reference', clock, keys });
    ({ app, dataSource: ds } = svc);
    migrator = new DataSource({ type: 'postgres', url: svc.db.url });
    await migrator.initialize();
  });

  afterAll(async () => {
    await migrator?.destroy();
    await svc?.close();
  });

  it('seed loads the shipped files (3 holiday tables, towns, centres, boundary) once; a second run seeds nothing', async () => {
    const first = await seed(migrator);
    expect(first).toEqual(['holiday table 2025 (OFFICIAL)', 'holiday table 2026 (OFFICIAL)', 'holiday table 2027 (PROVISIONAL)', '21 towns', '0 correction centres', 'the county boundary']);
    expect(await seed(migrator)).toEqual([]);
    const rows = await svc.db.query<{ year: number; status: string }>(`SELECT year, status FROM reference.holiday_tables ORDER BY year`);
    expect(rows).toEqual([{ year: 2025, status: 'OFFICIAL' }, { year: 2026, status: 'OFFICIAL' }, { year: 2027, status: 'PROVISIONAL' }]);
    expect(await svc.app.get(ReferenceDataService).reloadIfChanged()).toBe(true);
  });

  it('CC-23: staff read the tables in force: 2027 PROVISIONAL, labelled in English and Chinese', async () => {
    const res = await gql(officer, `{ holidayTables(year: 2027) { year status statusLabel holidays current revision } }`).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.holidayTables).toEqual([
      expect.objectContaining({ year: 2027, status: 'PROVISIONAL', statusLabel: expect.stringMatching(/Provisional.*暂定/), current: true, revision: expect.any(Number) }),
    ]);
  });

  it('deadlines computed today use the provisional 2027 table: report-in and procuratorate reply 2027-02-11, assessment 2027-02-17', async () => {
    const enrol = (idNumber: string) =>
      post('enrolments', court, {
        person: { idNumber, name: '王某', residenceTown: '104' },
        sentenceType: 'PROBATION',
        judgmentDocumentNo: `(2027)苏0281刑初${idNumber.slice(-4)}号`,
        judgmentEffectiveDate: '2027-02-01',
        correctionStartDate: '2027-02-01',
        correctionEndDate: '2028-01-31',
        offence: '盗窃罪',
        decidingAuthority: '江阴市人民法院',
      }).expect(201);
    const res = await enrol('11010519491231002X');
    expect(res.body.reportDeadline).toBe('2027-02-11');
    subjectId = res.body.id;
    reportedId = (await enrol('110101199003077758')).body.id;
    await ds.query(`UPDATE correction.subjects SET reported_on = '2027-02-02' WHERE id = $1`, [reportedId]);
    const notice = await post('procuratorate-notices', procuratorate, {
      subjectId,
      kind: 'SUGGESTION',
      documentNo: '澄检建〔2027〕1号',
      issuedDate: '2027-01-27',
      content: '建议加强对该对象的日常监管',
    }).expect(201);
    expect(notice.body.replyDue).toBe('2027-02-11');
    noticeId = notice.body.id;
    const inv = await post('investigation-requests', court, {
      person: { idNumber: '110101199003071719', name: '赵某', residenceTown: '104' },
      requestingDocumentNo: '(2027)苏0281刑初88号委托函',
      proposedSentenceType: 'PROBATION',
      expedited: false,
      offence: '危险驾驶罪',
      receivedDate: '2027-02-01',
    }).expect(201);
    expect(inv.body.dueDate).toBe('2027-02-17');
    investigationId = inv.body.id;
    // CC-12: a running electronic location ending 2027-02-16; its "expiring" reminder is 5 working days before.
    const [m] = await ds.query(
      `INSERT INTO correction.monitorings (subject_id, person_key, town, ground, device_id, approved_by, recorded_by, start_date, end_date, starts_at, ends_at, status)
       SELECT id, person_key, town, 'LEFT_COUNTY_WITHOUT_APPROVAL', 'DEV-REF-1', '江阴市社区矫正管理局', 'test', '2027-01-20', '2027-02-16', '2027-01-19T16:00:00Z', '2027-02-16T16:00:00Z', 'ACTIVE'
         FROM correction.subjects WHERE id = $1 RETURNING id`,
      [subjectId],
    );
    monitoringId = m.id;
    warnBefore = monitoringExpiryWarningDate('2027-02-16', 5);
  });

  it('only a CITY_ADMIN changes a table; bad input is a typed, bilingual error and nothing changes', async () => {
    const denied = await gql(officer, SET, { input: OFFICIAL_2027 }).expect(200);
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const bad = await gql(cityAdmin, SET, { input: { ...OFFICIAL_2027, workingWeekends: ['2027-02-17'] } }).expect(200);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toMatch(/not a Saturday or Sunday.*节假日表有误/);
    const outside = await gql(cityAdmin, SET, { input: { ...OFFICIAL_2027, holidays: ['2026-12-31'] } }).expect(200);
    expect(outside.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(await svc.db.query(`SELECT id FROM reference.holiday_tables WHERE year = 2027`)).toHaveLength(1);
    const [s] = await ds.query(`SELECT to_char(report_deadline, 'YYYY-MM-DD') AS d FROM correction.subjects WHERE id = $1`, [subjectId]);
    expect(s.d).toBe('2027-02-11');
  });

  it('CC-23 / CC-3 / CC-4 / CC-14 / CC-16: the published 2027 table moves every stored deadline of an open record and says how many', async () => {
    const res = await gql(cityAdmin, SET, { input: OFFICIAL_2027 }).expect(200);
    expect(res.body.errors).toBeUndefined();
    const change = res.body.data.setHolidayTable;
    expect(change.table).toMatchObject({ year: 2027, status: 'OFFICIAL', current: true, recordedBy: cityAdminPrincipal.sub, workingWeekends: ['2027-02-20'] });
    expect(change.recomputed).toEqual([
      { rule: 'CC-3 documents / CC-4 report-in', records: 2 },
      { rule: 'CC-14 investigation assessment', records: 1 },
      { rule: 'CC-16 procuratorate reply', records: 1 },
      { rule: 'CC-12 electronic location expiry reminder', records: 1 },
    ]);
    const [s] = await ds.query(
      `SELECT to_char(report_deadline, 'YYYY-MM-DD') AS report, to_char(documents_deadline, 'YYYY-MM-DD') AS documents FROM correction.subjects WHERE id = $1`,
      [subjectId],
    );
    // 2027-02-11 is now inside the Spring Festival break: the next working day is Monday 02-15.
    expect(s).toEqual({ report: '2027-02-15', documents: '2027-02-15' });
    const [r] = await ds.query(`SELECT to_char(report_deadline, 'YYYY-MM-DD') AS report, to_char(documents_deadline, 'YYYY-MM-DD') AS documents FROM correction.subjects WHERE id = $1`, [reportedId]);
    expect(r).toEqual({ report: '2027-02-11', documents: '2027-02-15' });
    const [n] = await ds.query(`SELECT to_char(reply_due, 'YYYY-MM-DD') AS d FROM correction.procuratorate_notices WHERE id = $1`, [noticeId]);
    expect(n.d).toBe('2027-02-15');
    // 10 working days from 02-01: 02-02…02-04, then 02-15…02-19, Saturday 02-20 (调休) and Monday 02-22.
    const [i] = await ds.query(`SELECT to_char(due_date, 'YYYY-MM-DD') AS d, to_char(original_due_date, 'YYYY-MM-DD') AS o FROM correction.investigations WHERE id = $1`, [investigationId]);
    expect(i).toEqual({ d: '2027-02-22', o: '2027-02-22' });
    expect(activeCalendar().isProvisional(2027)).toBe(false);
    expect(activeCalendar().isWorkingDay('2027-02-20')).toBe(true);
  });

  it('publishes correction.deadlines.recomputed for alerts, one per moved record, with the new dates and the revision', async () => {
    const events = (await outbox('correction.deadlines.recomputed')).map((r: { payload: Record<string, unknown> }) => r.payload);
    const [{ revision }] = await svc.db.query<{ revision: number }>(`SELECT id::int AS revision FROM reference.holiday_tables WHERE year = 2027 AND superseded_at IS NULL`);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordType: 'SUBJECT', recordId: subjectId, reportDeadline: '2027-02-15', documentsDeadline: '2027-02-15', revision, year: 2027, town: '104' }),
        expect.objectContaining({ recordType: 'PROCURATORATE_NOTICE', recordId: noticeId, replyDue: '2027-02-15', remindOn: '2027-02-12', revision }),
        expect.objectContaining({ recordType: 'INVESTIGATION', recordId: investigationId, dueDate: '2027-02-22', remindOn: '2027-02-19', revision }),
        // CC-12: the reminder follows the new calendar (the end date does not move).
        expect.objectContaining({ recordType: 'MONITORING', recordId: monitoringId, endDate: '2027-02-16', warnOn: monitoringExpiryWarningDate('2027-02-16', 5), revision }),
      ]),
    );
    expect(monitoringExpiryWarningDate('2027-02-16', 5)).not.toBe(warnBefore);
    const reported = events.find((e: Record<string, unknown>) => e.recordId === reportedId);
    expect(reported).not.toHaveProperty('reportDeadline');
    expect(events).toHaveLength(5);
  });

  it('history is kept (the provisional version superseded) and the change is audited', async () => {
    const res = await gql(cityAdmin, `{ holidayTables(year: 2027, history: true) { status current reason } }`).expect(200);
    expect(res.body.data.holidayTables).toEqual([
      expect.objectContaining({ status: 'PROVISIONAL', current: false }),
      expect.objectContaining({ status: 'OFFICIAL', current: true, reason: OFFICIAL_2027.reason }),
    ]);
    const audit = await svc.db.query<{ actor_id: string; details: Record<string, unknown> }>(
      `SELECT actor_id, details FROM audit.events WHERE action = 'correction.reference.holiday-table.set' AND entity_id = '2027'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(cityAdminPrincipal.sub);
    expect(audit[0].details).toMatchObject({ year: 2027, status: 'OFFICIAL', previousStatus: 'PROVISIONAL' });
  });

  it('the same table again is a CONFLICT and moves nothing', async () => {
    const again = await gql(cityAdmin, SET, { input: OFFICIAL_2027 }).expect(200);
    expect(again.body.errors[0].extensions.code).toBe('CONFLICT');
    expect(await outbox('correction.deadlines.recomputed')).toHaveLength(5);
  });

  it('a deadline computed after the change uses the new table', async () => {
    const notice = await post('procuratorate-notices', procuratorate, {
      subjectId,
      kind: 'SUGGESTION',
      documentNo: '澄检建〔2027〕2号',
      issuedDate: '2027-01-27',
      content: '建议加强对该对象的日常监管',
    }).expect(201);
    expect(notice.body.replyDue).toBe('2027-02-15');
  });

  const enrolIn120 = () =>
    post('enrolments', court, {
      person: { idNumber: '110101199003075779', name: '李某', residenceTown: '120' },
      sentenceType: 'PROBATION',
      judgmentDocumentNo: `(2027)苏0281刑初120-${Math.random()}号`,
      judgmentEffectiveDate: '2027-02-01',
      correctionStartDate: '2027-02-01',
      correctionEndDate: '2028-01-31',
      offence: '盗窃罪',
      decidingAuthority: '江阴市人民法院',
    });

  it('towns are data: a CITY_ADMIN adds a town (validity dates), the app accepts its code, the old version is kept and audited', async () => {
    const current = await svc.db.query<{ content: { towns: Array<Record<string, unknown>> } }>(`SELECT content FROM reference.datasets WHERE kind = 'TOWNS' AND superseded_at IS NULL`);
    const towns = current[0].content.towns.map(({ code, name, nameEn, kind, validFrom }) => ({ code, name, nameEn, kind, validFrom }));
    const SET_TOWNS = `mutation($input: SetTownsInput!) { setTowns(input: $input) { kind revision current } }`;
    const dropped = await gql(cityAdmin, SET_TOWNS, { input: { towns: towns.slice(1), reason: 'test' } }).expect(200);
    expect(dropped.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(dropped.body.errors[0].message).toMatch(/close it with validTo.*失效日期/);
    expect(isTownCode('120')).toBe(false);
    expect((await enrolIn120()).status).toBe(422);
    const res = await gql(cityAdmin, SET_TOWNS, {
      input: { towns: [...towns, { code: '120', name: '测试新镇', nameEn: 'Test Town', kind: 'TOWN', validFrom: '2027-01-01' }], reason: 'new town / 新设镇' },
    }).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.setTowns).toMatchObject({ kind: 'TOWNS', current: true });
    expect(isTownCode('120')).toBe(true);
    expect(await svc.db.query(`SELECT id FROM reference.datasets WHERE kind = 'TOWNS'`)).toHaveLength(2);
    expect(await svc.db.query(`SELECT id FROM audit.events WHERE action = 'correction.reference.towns.set'`)).toHaveLength(1);
    // The enrolment's town check (requireTown) reads the registry: the new code is accepted.
    expect((await enrolIn120()).status).toBe(201);
  });

  it('K-CC7: correction centres are data: an unknown town is refused, a valid list counts from its validFrom, audited', async () => {
    const SET_CENTRES = `mutation($input: SetCorrectionCentresInput!) { setCorrectionCentres(input: $input) { kind current content } }`;
    const bad = await gql(cityAdmin, SET_CENTRES, { input: { centres: [{ town: '998', validFrom: '2027-01-01' }], reason: 'test' } }).expect(200);
    // A centre names a town in force (@IsTownCode, like every town input: issue 8 item 3).
    expect(bad.body.errors[0].extensions.code).toBe('TOWN_UNKNOWN');
    expect(bad.body.errors[0].message).toMatch(/not a town code of Jiangyin.*不是江阴市的镇/);
    expect(correctionCentreTowns('2027-03-01').has('104')).toBe(false);
    const ok = await gql(cityAdmin, SET_CENTRES, { input: { centres: [{ town: '104', name: '徐霞客镇社区矫正中心', validFrom: '2027-03-01' }], reason: 'opened / 启用' } }).expect(200);
    expect(ok.body.errors).toBeUndefined();
    expect(JSON.parse(ok.body.data.setCorrectionCentres.content)).toEqual({ centres: [{ town: '104', name: '徐霞客镇社区矫正中心', validFrom: '2027-03-01' }] });
    expect(correctionCentreTowns('2027-02-28').has('104')).toBe(false);
    expect(correctionCentreTowns('2027-03-01').has('104')).toBe(true);
    expect(await svc.db.query(`SELECT id FROM audit.events WHERE action = 'correction.reference.correction-centres.set'`)).toHaveLength(1);
  });

  it('CC-12: the county boundary is data: bad GeoJSON is refused and changes nothing; a new polygon is the area in force', async () => {
    const SET_BOUNDARY = `mutation($input: SetCountyBoundaryInput!) { setCountyBoundary(input: $input) { kind revision } }`;
    const before = COUNTY_AREA;
    const bad = await gql(cityAdmin, SET_BOUNDARY, { input: { geojson: '{"type":"Polygon","coordinates":[[[120,31]]]}', reason: 'test' } }).expect(200);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toMatch(/区域边界数据无效/);
    expect(COUNTY_AREA).toBe(before);
    const outsideToday = { lat: 32.5, lng: 120.3 };
    expect(isInCounty(outsideToday)).toBe(false);
    const box = { type: 'Polygon', coordinates: [[[119.9, 31.6], [120.7, 31.6], [120.7, 32.6], [119.9, 32.6], [119.9, 31.6]]] };
    const ok = await gql(cityAdmin, SET_BOUNDARY, { input: { geojson: JSON.stringify(box), reason: 'surveyed boundary / 新测绘边界' } }).expect(200);
    expect(ok.body.errors).toBeUndefined();
    expect(isInCounty(outsideToday)).toBe(true);
    expect(await svc.db.query(`SELECT id FROM reference.datasets WHERE kind = 'COUNTY_BOUNDARY'`)).toHaveLength(2);
  });

  it('the app role may not delete reference history (least privilege)', async () => {
    await expect(ds.query(`DELETE FROM reference.holiday_tables`)).rejects.toThrow(/permission denied/);
  });
});

import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, Role, idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

const idOf = (n: number) => {
  const first17 = `32028119900101${String(n).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

interface Finding {
  recordType: string;
  recordId: string;
  onTime: boolean;
  complete: boolean;
  accurate: boolean;
  missingFields: string[];
  dueOn: string;
  enteredOn: string;
}

/** CC-29 data quality: entered on time (3 working days; the enrolment: CC-3), complete, never corrected; K-DQ1. */
describe('CC-29 data quality and K-DQ1 (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  // Friday 2026-11-20, 10:00 in Jiangyin.
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  const officer104 = keys.mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() });
  const officer107 = keys.mint(staffPrincipal({ towns: ['107'] }), { now: clock.now() });
  const cityAdmin = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });
  const november = { kind: 'MONTH', year: 2026, number: 11 };

  let seq = 0;
  const enrol = async (over: Record<string, unknown> = {}, town = '104'): Promise<string> => {
    seq += 1;
    const res = await request(app.getHttpServer())
      .post('/api/v1/correction/enrolments')
      .set('authorization', `Bearer ${court}`)
      .set('idempotency-key', `DQ-${seq}`)
      .send({
        person: { idNumber: idOf(seq), name: `对象${seq}`, residenceTown: town, residenceAddress: '澄江街道人民路1号' },
        sentenceType: 'PROBATION',
        suspendedPenalty: 'FIXED_TERM',
        judgmentDocumentNo: `(2026)苏0281刑初${seq}号`,
        judgmentEffectiveDate: '2026-11-20',
        correctionStartDate: '2026-11-20',
        correctionEndDate: '2027-11-19',
        offence: '盗窃罪',
        decidingAuthority: '江阴市人民法院',
        ...over,
      })
      .expect(201);
    return res.body.id;
  };
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const count = async (sql: string, params: unknown[] = []) => Number((await svc.db.query<{ n: string }>(sql, params))[0].n);

  /** A check-in row as the check-ins feature leaves it, entered at `enteredAt` (fixture: the subject need not be ACTIVE). */
  const checkIn = async (subjectId: string, onDate: string, enteredAt: string): Promise<string> =>
    (
      await svc.db.query<{ id: string }>(
        `INSERT INTO correction.check_ins (subject_id, channel, at, on_date, due_on, recorded_by, created_at)
         VALUES ($1, 'FACE_TO_FACE', ($2::date + time '10:00') AT TIME ZONE 'Asia/Shanghai', $2, $2, 'officer', $3) RETURNING id`,
        [subjectId, onDate, enteredAt],
      )
    )[0].id;

  const FINDINGS = `query($period: PeriodInput!, $town: String) { dataQualityFindings(period: $period, town: $town) {
    recordType recordTypeLabel recordId onTime complete accurate missingFields dueOn enteredOn } }`;
  const findings = async (token = officer104): Promise<Finding[]> => {
    const res = await gql(token, FINDINGS, { period: november }).expect(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data.dataQualityFindings;
  };
  const CORRECT = `mutation($input: RecordDataCorrectionInput!) { recordDataCorrection(input: $input) { recordId accurate } }`;
  const TOWN_K = `query($reps: [_Any!]!, $period: PeriodInput!) { _entities(representations: $reps) { ... on Town {
    correctionIndicators(period: $period) { indicators { code label en numerator denominator } } } } }`;
  const dq = async (town: string) => {
    const res = await gql(cityAdmin, TOWN_K, { reps: [{ __typename: 'Town', code: town }], period: november }).expect(200);
    expect(res.body.errors).toBeUndefined();
    const list: { code: string; numerator: number; denominator: number }[] = res.body.data._entities[0].correctionIndicators.indicators;
    return Object.fromEntries(list.filter((i) => i.code.startsWith('K-DQ1')).map((i) => [i.code, [i.numerator, i.denominator]]));
  };

  let onTime: string;
  let noPenalty: string;
  let lateNotice: string;
  let checkInOnTime: string;
  let checkInLate: string;
  let otherTown: string;

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'dq', clock, keys });
    app = svc.app;
    onTime = await enrol();
    noPenalty = await enrol({ suspendedPenalty: undefined });
    // judgment 2026-11-10: CC-3 notice due Monday 2026-11-16, arrives 2026-11-20
    lateNotice = await enrol({ judgmentEffectiveDate: '2026-11-10', correctionStartDate: '2026-11-10', correctionEndDate: '2027-11-09' });
    // a check-in on Monday 2026-11-16 must be entered by Thursday 2026-11-19 (3 working days)
    checkInOnTime = await checkIn(onTime, '2026-11-16', '2026-11-19T09:00:00Z');
    checkInLate = await checkIn(onTime, '2026-11-16', '2026-11-20T01:00:00Z');
    otherTown = await enrol({ suspendedPenalty: undefined }, '107');
  });

  afterAll(async () => {
    await svc?.close();
  });

  it("CC-29: the officer's findings list the late and incomplete records of the month in their towns, audited", async () => {
    const list = await findings();
    const byId = Object.fromEntries(list.map((f) => [f.recordId, f]));
    expect(Object.keys(byId).sort()).toEqual([noPenalty, lateNotice, checkInLate].sort());
    expect(byId[noPenalty]).toMatchObject({ recordType: 'ENROLMENT', complete: false, missingFields: ['suspendedPenalty'], onTime: true });
    expect(byId[lateNotice]).toMatchObject({ recordType: 'ENROLMENT', onTime: false, dueOn: '2026-11-16', enteredOn: '2026-11-20' });
    expect(byId[checkInLate]).toMatchObject({ recordType: 'CHECK_IN', onTime: false, dueOn: '2026-11-19', enteredOn: '2026-11-20', complete: true });
    expect(list.every((f) => !f.recordId.includes(otherTown))).toBe(true);
    expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.data-quality.list'`)).toBeGreaterThan(0);
  });

  it('CC-29: a CITY_ADMIN sees every town; another town officer sees only their own', async () => {
    expect((await findings(cityAdmin)).map((f) => f.recordId)).toContain(otherTown);
    expect((await findings(officer107)).map((f) => f.recordId)).toEqual([otherTown]);
  });

  it('K-DQ1: 数据及时率 / 完整率 / 准确率 of a town for the month', async () => {
    // 3 enrolments + 2 check-ins in 104: 3 on time, 4 complete, none corrected
    expect(await dq('104')).toEqual({ 'K-DQ1-TIMELY': [3, 5], 'K-DQ1-COMPLETE': [4, 5], 'K-DQ1-ACCURATE': [5, 5] });
  });

  it('CC-29: an officer records a correction of an entered record: it is no longer accurate, K-DQ1 and the audit show it', async () => {
    const res = await gql(officer104, CORRECT, {
      input: { recordType: 'CHECK_IN', recordId: checkInOnTime, correctedOn: '2026-11-20', fields: ['channel'], reason: '报告方式录错' },
    }).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.recordDataCorrection).toEqual({ recordId: checkInOnTime, accurate: false });
    expect((await findings()).find((f) => f.recordId === checkInOnTime)).toMatchObject({ onTime: true, accurate: false });
    expect(await dq('104')).toMatchObject({ 'K-DQ1-ACCURATE': [4, 5] });
    expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.data-quality.correct' AND entity_id = $1 AND outcome = 'SUCCESS'`, [checkInOnTime])).toBe(1);
    const [row] = await svc.db.query<{ reason_cipher: string }>(`SELECT reason_cipher FROM correction.data_corrections WHERE record_id = $1`, [checkInOnTime]);
    expect(row.reason_cipher).not.toContain('报告方式录错');
  });

  it("CC-29: an enrolment whose suspended penalty the officer completed later stays incomplete at entry; a CC-6 conflict makes it inaccurate", async () => {
    await gql(officer104, `mutation($i: CompleteSuspendedPenaltyInput!) { completeSuspendedPenalty(input: $i) { id } }`, {
      i: { subjectId: noPenalty, suspendedPenalty: 'CRIMINAL_DETENTION' },
    }).expect(200);
    // a 1-year probation fits 拘役 (≤ 1 year): still incomplete at entry, not a conflict
    expect((await findings()).find((f) => f.recordId === noPenalty)).toMatchObject({ complete: false, accurate: true });
    // a 6-month probation completed as 有期徒刑 (≥ 1 year) conflicts: the enrolment was not accurate
    const sixMonths = await enrol({ suspendedPenalty: undefined, correctionEndDate: '2027-05-19' }, '107');
    await gql(officer107, `mutation($i: CompleteSuspendedPenaltyInput!) { completeSuspendedPenalty(input: $i) { id } }`, {
      i: { subjectId: sixMonths, suspendedPenalty: 'FIXED_TERM' },
    }).expect(200);
    expect((await findings(officer107)).find((f) => f.recordId === sixMonths)).toMatchObject({ complete: false, accurate: false });
  });

  it("CC-29: another town's officer cannot correct a record (not found, denial audited) and nothing is stored", async () => {
    const res = await gql(officer107, CORRECT, {
      input: { recordType: 'CHECK_IN', recordId: checkInLate, correctedOn: '2026-11-20', fields: ['note'], reason: '错误' },
    }).expect(200);
    expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(await count(`SELECT count(*) AS n FROM correction.data_corrections WHERE record_id = $1`, [checkInLate])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.data-quality.correct' AND entity_id = $1 AND outcome = 'DENIED'`, [checkInLate])).toBe(1);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a correction dated before the record was entered', { correctedOn: '2026-11-18' }],
    ['a correction without fields', { fields: [] }],
    ['a correction without a reason', { reason: '' }],
  ])('CC-29: %s is a typed error with a bilingual message and nothing is stored', async (_what, over) => {
    const before = await count(`SELECT count(*) AS n FROM correction.data_corrections`);
    const res = await gql(officer104, CORRECT, {
      input: { recordType: 'CHECK_IN', recordId: checkInLate, correctedOn: '2026-11-20', fields: ['note'], reason: '错误', ...over },
    }).expect(200);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.body.errors[0])).toMatch(/[\u4e00-\u9fff]/);
    expect(await count(`SELECT count(*) AS n FROM correction.data_corrections`)).toBe(before);
  });

  it('K-DQ1: the city sums its towns and the export carries bilingual K-DQ1 headers', async () => {
    const res = await gql(cityAdmin, `query($p: PeriodInput!) { cityCorrectionIndicators(period: $p) { indicators { code numerator denominator } } }`, { p: november }).expect(200);
    const city = res.body.data.cityCorrectionIndicators.indicators.find((i: { code: string }) => i.code === 'K-DQ1-TIMELY');
    // 104: 3 of 5; 107: its two enrolments, on time
    expect(city).toEqual({ code: 'K-DQ1-TIMELY', numerator: 5, denominator: 7 });
    const csv = await request(app.getHttpServer())
      .get('/api/v1/correction/exports/monthly-statistics?month=2026-11&format=csv')
      .set('authorization', `Bearer ${officer104}`)
      .expect(200);
    const header = csv.text.replace(/^\uFEFF/, '').split('\r\n')[0];
    expect(header).toContain('数据及时率(%) data entered on time (%)');
    expect(header).toContain('数据准确率分母 data without later correction denominator');
  });
});

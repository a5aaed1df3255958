import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, Role, idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

/** A valid ID number per test enrolment (born 1985-06-15 in 江阴, sequence n). */
const idOf = (n: number) => {
  const first17 = `32028119850615${String(n).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
};

/**
 * Issue 7 item 4 (CC-6: the penalty a probation suspends, combined 管制, detention credit, the
 * officer's completion and conflict flag) and item 6 (CC-3: the 5-day notice recorded late).
 */
describe('CC-6 sentence details and the CC-3 notice at enrolment (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  // 2026-11-20 10:00 in Jiangyin, a Friday.
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  const officer104 = keys.mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() });
  const officer107 = keys.mint(staffPrincipal({ towns: ['107'] }), { now: clock.now() });
  const cityAdmin = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }), { now: clock.now() });

  let seq = 0;
  const body = (over: Record<string, unknown> = {}) => {
    seq += 1;
    return {
      person: { idNumber: idOf(seq), name: `对象${seq}`, residenceTown: '104' },
      sentenceType: 'PROBATION',
      judgmentDocumentNo: `(2026)苏0281刑初${seq}号`,
      judgmentEffectiveDate: '2026-11-20',
      correctionStartDate: '2026-11-20',
      correctionEndDate: '2027-11-19',
      offence: '盗窃罪',
      decidingAuthority: '江阴市人民法院',
      ...over,
    };
  };
  const enrol = (payload: object) =>
    request(app.getHttpServer())
      .post('/api/v1/correction/enrolments')
      .set('authorization', `Bearer ${court}`)
      .set('idempotency-key', `K-${Math.random()}`)
      .send(payload);
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  const count = async (sql: string, params: unknown[] = []) => Number((await svc.db.query<{ n: string }>(sql, params))[0].n);
  const subjects = () => count(`SELECT count(*) AS n FROM correction.subjects`);

  const SUBJECT = `query($id: ID!) { correctionSubject(id: $id) { id suspendedPenalty suspendedTermMonths sentenceDetailsMissing
    combinedSentences detentionCreditDays periodConflict { rule earliestEnd latestEnd } notifiedOn noticeDeadline noticeDaysLate } }`;
  const REVIEWS = `{ sentenceReviews(first: 50) { totalCount edges { node { id sentenceDetailsMissing periodConflict { rule } } } } }`;
  const COMPLETE = `mutation($input: CompleteSuspendedPenaltyInput!) { completeSuspendedPenalty(input: $input) {
    id suspendedPenalty suspendedTermMonths sentenceDetailsMissing periodConflict { rule earliestEnd latestEnd } } }`;
  const subjectOf = async (id: string) => (await gql(officer104, SUBJECT, { id }).expect(200)).body.data.correctionSubject;
  const reviewIds = async (token = officer104) =>
    ((await gql(token, REVIEWS).expect(200)).body.data.sentenceReviews.edges as { node: { id: string } }[]).map((e) => e.node.id);

  /** A refusal: 422 problem+json, bilingual detail naming the rule, nothing stored. */
  async function refused(payload: object, field: string): Promise<void> {
    const before = await subjects();
    const res = await enrol(payload).expect(422);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toMatch(/[A-Za-z].*[\u4e00-\u9fff]/);
    expect(JSON.stringify(res.body)).toContain(field);
    expect(await subjects()).toBe(before);
  }

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc6', clock, keys });
    app = svc.app;
  });

  afterAll(async () => {
    await svc?.close();
  });

  describe('CC-6: the penalty a probation suspends', () => {
    it('CC-6: a 6-month probation suspending 有期徒刑 (FIXED_TERM) is refused 422 with the 1–5 year rule, nothing stored', async () => {
      await refused(body({ suspendedPenalty: 'FIXED_TERM', correctionEndDate: '2027-05-19' }), 'correctionEndDate');
      const res = await enrol(body({ suspendedPenalty: 'FIXED_TERM', correctionEndDate: '2027-05-19' })).expect(422);
      expect(res.body.detail).toContain('有期徒刑');
    });

    it('CC-6: 拘役缓刑 (CRIMINAL_DETENTION) is accepted from 2 months to 1 year and refused beyond 1 year', async () => {
      const ok = await enrol(body({ suspendedPenalty: 'CRIMINAL_DETENTION', correctionEndDate: '2027-01-19' })).expect(201);
      expect(await subjectOf(ok.body.id)).toMatchObject({ suspendedPenalty: 'CRIMINAL_DETENTION', sentenceDetailsMissing: false, periodConflict: null });
      expect(await reviewIds()).not.toContain(ok.body.id);
      await refused(body({ suspendedPenalty: 'CRIMINAL_DETENTION', correctionEndDate: '2027-12-19' }), 'correctionEndDate');
    });

    it('CC-6 (刑法 73): the probation may not be shorter than the suspended term (2 years of 有期徒刑, 18 months of probation)', async () => {
      await refused(body({ suspendedPenalty: 'FIXED_TERM', suspendedTermMonths: 24, correctionEndDate: '2028-05-19' }), 'correctionEndDate');
      const ok = await enrol(body({ suspendedPenalty: 'FIXED_TERM', suspendedTermMonths: 24, correctionEndDate: '2028-11-19' })).expect(201);
      expect(await subjectOf(ok.body.id)).toMatchObject({ suspendedPenalty: 'FIXED_TERM', suspendedTermMonths: 24 });
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a suspended penalty on a 管制', { sentenceType: 'CONTROL', suspendedPenalty: 'FIXED_TERM' }, 'suspendedPenalty'],
      ['a suspended term without the penalty', { suspendedTermMonths: 6 }, 'suspendedTermMonths'],
      ['a 拘役 term over 6 months', { suspendedPenalty: 'CRIMINAL_DETENTION', suspendedTermMonths: 7 }, 'suspendedTermMonths'],
      ['detention credit on a probation', { detentionCreditDays: 30 }, 'detentionCreditDays'],
      ['combined sentences on a probation', { combinedSentences: true }, 'combinedSentences'],
    ])('CC-6: %s is refused 422 and nothing is stored', async (_what, over, field) => {
      await refused(body(over), field);
    });

    it('CC-6: an unknown suspended penalty is refused and nothing is stored', async () => {
      const before = await subjects();
      const res = await enrol(body({ suspendedPenalty: 'DEATH' }));
      expect([400, 422]).toContain(res.status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).toContain('缓刑所附主刑');
      expect(await subjects()).toBe(before);
    });
  });

  describe('CC-6: 管制 combined for several offences and detention credit', () => {
    it('CC-6 (刑法 69): 管制 of 30 months is accepted when combined for several offences, refused otherwise', async () => {
      await refused(body({ sentenceType: 'CONTROL', correctionEndDate: '2029-05-19' }), 'correctionEndDate');
      const ok = await enrol(body({ sentenceType: 'CONTROL', correctionEndDate: '2029-05-19', combinedSentences: true })).expect(201);
      expect(await subjectOf(ok.body.id)).toMatchObject({ combinedSentences: true });
      await refused(body({ sentenceType: 'CONTROL', correctionEndDate: '2029-11-21', combinedSentences: true }), 'correctionEndDate');
    });

    it('CC-6 (刑法 41): 管制 of 3 months with 30 days of detention credit may end 30 days early', async () => {
      // 3 months from 2026-11-20 end on 2027-02-19; 30 days credited move that to 2027-01-20.
      await refused(body({ sentenceType: 'CONTROL', correctionEndDate: '2027-01-20' }), 'correctionEndDate');
      const ok = await enrol(body({ sentenceType: 'CONTROL', correctionEndDate: '2027-01-20', detentionCreditDays: 30 })).expect(201);
      expect(await subjectOf(ok.body.id)).toMatchObject({ detentionCreditDays: 30 });
      await refused(body({ sentenceType: 'CONTROL', correctionEndDate: '2027-01-19', detentionCreditDays: 30 }), 'correctionEndDate');
    });
  });

  describe("CC-6: a probation without its penalty goes on the officer's list", () => {
    let sixMonths: string;
    let oneYear: string;

    it('CC-6: a partner that does not send suspendedPenalty is still accepted within 2 months–5 years (201, response unchanged)', async () => {
      const res = await enrol(body({ correctionEndDate: '2027-05-19' })).expect(201);
      expect(Object.keys(res.body).sort()).toEqual(['id', 'reportDeadline', 'status']);
      sixMonths = res.body.id;
      oneYear = (await enrol(body()).expect(201)).body.id;
      expect(await subjectOf(sixMonths)).toMatchObject({ suspendedPenalty: null, sentenceDetailsMissing: true, periodConflict: null });
    });

    it("CC-6: both are on the town officer's list to complete, audited; another town's officer does not see them", async () => {
      const ids = await reviewIds();
      expect(ids).toEqual(expect.arrayContaining([sixMonths, oneYear]));
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.sentence-review.list'`)).toBeGreaterThan(0);
      expect(await reviewIds(officer107)).toEqual([]);
    });

    it('CC-6: the officer entering 有期徒刑 for the 6-month probation flags a conflict with the 1–5 year window, visible and audited', async () => {
      const res = await gql(officer104, COMPLETE, { input: { subjectId: sixMonths, suspendedPenalty: 'FIXED_TERM' } }).expect(200);
      expect(res.body.errors).toBeUndefined();
      const done = res.body.data.completeSuspendedPenalty;
      expect(done).toMatchObject({ suspendedPenalty: 'FIXED_TERM', sentenceDetailsMissing: false });
      expect(done.periodConflict).toMatchObject({ earliestEnd: '2027-11-19', latestEnd: '2031-11-20' });
      expect(done.periodConflict.rule).toContain('有期徒刑');
      // still on the list, now for the conflict
      const list = (await gql(officer104, REVIEWS).expect(200)).body.data.sentenceReviews.edges.map((e: { node: unknown }) => e.node);
      expect(list).toContainEqual({ id: sixMonths, sentenceDetailsMissing: false, periodConflict: { rule: done.periodConflict.rule } });
      expect(
        await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.sentence-complete.conflict' AND entity_id = $1`, [sixMonths]),
      ).toBe(1);
    });

    it('CC-6: the officer entering a penalty that fits clears the subject from the list without a conflict', async () => {
      const res = await gql(officer104, COMPLETE, { input: { subjectId: oneYear, suspendedPenalty: 'CRIMINAL_DETENTION', suspendedTermMonths: 4 } }).expect(200);
      expect(res.body.data.completeSuspendedPenalty).toMatchObject({ suspendedPenalty: 'CRIMINAL_DETENTION', suspendedTermMonths: 4, periodConflict: null });
      expect(await reviewIds()).not.toContain(oneYear);
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.sentence-complete' AND entity_id = $1`, [oneYear])).toBe(1);
    });

    it("CC-6: another town's officer cannot complete it (not found, denial audited) and nothing changes", async () => {
      const other = (await enrol(body({ correctionEndDate: '2027-05-19' })).expect(201)).body.id;
      const res = await gql(officer107, COMPLETE, { input: { subjectId: other, suspendedPenalty: 'FIXED_TERM' } }).expect(200);
      expect(res.body.errors[0].extensions.code).toBe('NOT_FOUND');
      expect(await subjectOf(other)).toMatchObject({ suspendedPenalty: null, periodConflict: null });
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.change' AND entity_id = $1 AND outcome = 'DENIED'`, [other])).toBe(1);
    });

    it('CC-6: completing a penalty on a 管制 is a typed error with a bilingual message and changes nothing', async () => {
      const control = (await enrol(body({ sentenceType: 'CONTROL' })).expect(201)).body.id;
      const res = await gql(officer104, COMPLETE, { input: { subjectId: control, suspendedPenalty: 'FIXED_TERM' } }).expect(200);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toMatch(/probation.*缓刑/);
      expect(await subjectOf(control)).toMatchObject({ suspendedPenalty: null });
    });
  });

  describe('CC-3: the 5-day notice', () => {
    it('CC-3: an enrolment 60 days after the judgment is accepted but recorded 60 days late', async () => {
      // judgment effective Wednesday 2026-09-16: notice due by Monday 2026-09-21; it arrives 2026-11-20.
      const res = await enrol(body({ judgmentEffectiveDate: '2026-09-16', correctionStartDate: '2026-09-16', correctionEndDate: '2027-09-15' })).expect(201);
      expect(await subjectOf(res.body.id)).toMatchObject({ notifiedOn: '2026-11-20', noticeDeadline: '2026-09-21', noticeDaysLate: 60 });
      expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.enrol' AND entity_id = $1 AND details->>'noticeDaysLate' = '60'`, [res.body.id])).toBe(1);
    });

    it('CC-3 (CC-23): a notice on the working day after a weekend deadline is on time', async () => {
      // judgment 2026-11-10: +5 = Sunday 2026-11-15 → due Monday 2026-11-16; sent on 11-20 it is 4 days late; judgment 11-15 → due 11-20.
      const late = await enrol(body({ judgmentEffectiveDate: '2026-11-10', correctionStartDate: '2026-11-10', correctionEndDate: '2027-11-09' })).expect(201);
      expect(await subjectOf(late.body.id)).toMatchObject({ noticeDeadline: '2026-11-16', noticeDaysLate: 4 });
      const onTime = await enrol(body({ judgmentEffectiveDate: '2026-11-15', correctionStartDate: '2026-11-15', correctionEndDate: '2027-11-14' })).expect(201);
      expect(await subjectOf(onTime.body.id)).toMatchObject({ noticeDeadline: '2026-11-20', noticeDaysLate: 0 });
    });

    it('CC-3: K-CC3N counts the late notices of the month per town and for the city, with a bilingual export header', async () => {
      const q = `query($reps: [_Any!]!, $period: PeriodInput!) { _entities(representations: $reps) { ... on Town { code
        correctionIndicators(period: $period) { indicators { code label en numerator denominator value } } } } }`;
      const res = await gql(officer104, q, { reps: [{ __typename: 'Town', code: '104' }], period: { kind: 'MONTH', year: 2026, number: 11 } }).expect(200);
      expect(res.body.errors).toBeUndefined();
      const k = res.body.data._entities[0].correctionIndicators.indicators.find((i: { code: string }) => i.code === 'K-CC3N');
      const all = await count(`SELECT count(*) AS n FROM correction.subjects WHERE town = '104'`);
      // two notices came late (60 and 4 days); every other enrolment of this file came on the day of judgment
      expect(k).toMatchObject({ label: '通知及时率', en: 'on-time enrolment notice', denominator: all, numerator: all - 2 });
      const city = await gql(cityAdmin, `query($period: PeriodInput!) { cityCorrectionIndicators(period: $period) { indicators { code numerator denominator } } }`, {
        period: { kind: 'QUARTER', year: 2026, number: 4 },
      }).expect(200);
      expect(city.body.data.cityCorrectionIndicators.indicators).toContainEqual({ code: 'K-CC3N', numerator: all - 2, denominator: all });
      const csv = await request(app.getHttpServer())
        .get('/api/v1/correction/exports/monthly-statistics?month=2026-11&format=csv')
        .set('authorization', `Bearer ${officer104}`)
        .expect(200);
      const header = csv.text.replace(/^\uFEFF/, '').split('\r\n')[0];
      expect(header).toContain('通知及时率(%) on-time enrolment notice (%)');
    });
  });
});

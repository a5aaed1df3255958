import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { AgencyKind, Role, idNumberCheckChar } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { AftercareConfig } from '../config';

jest.setTimeout(120_000);

const withCheck = (first17: string) => first17 + idNumberCheckChar(first17);
const ID = { A: withCheck('32028119860301001'), B: withCheck('32028119860302002'), C: withCheck('32028119860303003') };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }> };

const PERIOD = 'id startDate decisionNo months plannedEnd endedOn endReason endReasonLabel open daysToPlannedEnd';
const START = `mutation($i: StartCommunityRehabilitationInput!) { startCommunityRehabilitation(input: $i) { ${PERIOD} } }`;
const END = `mutation($i: EndCommunityRehabilitationInput!) { endCommunityRehabilitation(input: $i) { ${PERIOD} } }`;
const CASE = `query($id: ID!) { aftercareCase(id: $id) { id communityRehabilitation communityRehabilitationPeriods { ${PERIOD} } } }`;
const ENDING = `query($d: Int) { communityRehabilitationsEnding(withinDays: $d) { period { plannedEnd daysToPlannedEnd } aftercareCase { id town { code } } } }`;

/** AC-5: community rehabilitation (社区康复, up to 3 years) tracked on an aftercare case (real PostgreSQL + Redis). */
describe('aftercare: community rehabilitation periods (AC-5, real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<AftercareConfig>;
  let app: NestExpressApplication;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: 3650 * 86_400, now: clock.now() });
  const centre = mint(partnerPrincipal(AgencyKind.REHAB_CENTRE, { agencyId: 'wuxi-rehab-1' }));
  const officer104 = mint(staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] }));
  const officer001 = mint(staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] }));
  const caseOf: Record<string, string> = {};

  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> =>
    (await request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables }).expect(200)).body as Body;
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const periodsStored = async () => Number((await svc.db.query<{ n: string }>(`SELECT count(*) AS n FROM aftercare.community_rehabilitations`))[0].n);
  const refused = async (token: string, query: string, i: Record<string, unknown>) => {
    const before = await periodsStored();
    const before2 = await svc.db.query(`SELECT id, ended_on, end_reason FROM aftercare.community_rehabilitations ORDER BY id`);
    const body = await gql(token, query, { i });
    expect(body.data).toBeNull();
    expect(await periodsStored()).toBe(before);
    expect(await svc.db.query(`SELECT id, ended_on, end_reason FROM aftercare.community_rehabilitations ORDER BY id`)).toEqual(before2);
    return body.errors?.[0];
  };

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'aftercare', appModule: (o) => AppModule.forRoot(o), config: AftercareConfig, keys, clock, prefix: testRedisPrefix('ac-rehab') });
    app = svc.app;
    const res = await request(app.getHttpServer())
      .post('/api/v1/aftercare/release-notices')
      .set('authorization', `Bearer ${centre}`)
      .set('idempotency-key', 'CR-1')
      .send({
        notices: (['A', 'B', 'C'] as const).map((n, i) => ({
          person: { idNumber: ID[n], name: `康复${n}`, residenceTown: n === 'C' ? '001' : '104' },
          centreRecordNo: `WX-CR-${n}`,
          releaseDate: `2027-03-0${5 + i}`,
          keyPerson: false,
          communityRehabilitation: n !== 'B',
        })),
      })
      .expect(207);
    const rows = await svc.db.query<{ id: string; notice_id: string }>(`SELECT id, notice_id FROM aftercare.cases`);
    (['A', 'B', 'C'] as const).forEach((n, i) => (caseOf[n] = rows.find((r) => r.notice_id === res.body.results[i].id)!.id));
    clock.set('2027-03-15T02:00:00Z');
  });
  afterAll(async () => svc?.close());

  it('AC-5: a community rehabilitation is started on the case (decision number, months ≤ 36), its planned end computed, shown on the case page and audited', async () => {
    const p = (await ok(officer104, START, { i: { caseId: caseOf.B, startDate: '2027-03-10', decisionNo: '澄社康决字〔2027〕第12号', months: 36 } })).startCommunityRehabilitation;
    expect(p).toMatchObject({ startDate: '2027-03-10', decisionNo: '澄社康决字〔2027〕第12号', months: 36, plannedEnd: '2030-03-09', endedOn: null, endReason: null, endReasonLabel: null, open: true });
    // The case's flag follows the tracked period (B's notice had said no).
    const page = (await ok(officer104, CASE, { id: caseOf.B })).aftercareCase;
    expect(page.communityRehabilitation).toBe(true);
    expect(page.communityRehabilitationPeriods).toEqual([p]);
    const [audit] = await svc.db.query<{ details: { periodId: string; plannedEnd: string }; person_key: string }>(`SELECT details, person_key FROM audit.events WHERE action = 'aftercare.community-rehab.start' AND outcome = 'SUCCESS' ORDER BY id`);
    expect(audit.details).toMatchObject({ periodId: p.id, plannedEnd: '2030-03-09' });
    expect(audit.person_key).toMatch(/^[0-9a-f]{64}$/);
  });

  it('AC-5: start before the release, more than 36 months (cfg), a second open period, another town\'s case: typed bilingual errors, nothing stored', async () => {
    const early = await refused(officer104, START, { caseId: caseOf.A, startDate: '2027-03-04', decisionNo: 'D-1', months: 12 });
    expect(early).toMatchObject({ message: expect.stringMatching(/解戒日期/), extensions: { code: 'DATE_RANGE_INVALID', field: 'startDate' } });
    const long = await refused(officer104, START, { caseId: caseOf.A, startDate: '2027-03-05', decisionNo: 'D-1', months: 37 });
    expect(long).toMatchObject({ message: expect.stringMatching(/1至36个月/), extensions: { code: 'BAD_USER_INPUT', field: 'months' } });
    const twice = await refused(officer104, START, { caseId: caseOf.B, startDate: '2027-03-12', decisionNo: 'D-2', months: 6 });
    expect(twice).toMatchObject({ message: expect.stringMatching(/已在社区康复中/), extensions: { code: 'CONFLICT' } });
    const otherTown = await refused(officer001, START, { caseId: caseOf.A, startDate: '2027-03-05', decisionNo: 'D-1', months: 12 });
    expect(otherTown?.extensions?.code).toBe('NOT_FOUND');
    expect((await gql(officer001, CASE, { id: caseOf.B })).data.aftercareCase).toBeNull();
  });

  it('AC-5: the period ends with a reason (Chinese label); ending before the start or twice is refused; then a new period may start', async () => {
    const before = await refused(officer104, END, { caseId: caseOf.B, endedOn: '2027-03-09', reason: 'RELAPSED' });
    expect(before).toMatchObject({ message: expect.stringMatching(/早于社区康复开始日期/), extensions: { code: 'DATE_RANGE_INVALID', field: 'endedOn' } });
    const future = await refused(officer104, END, { caseId: caseOf.B, endedOn: '2027-03-20', reason: 'RELAPSED' });
    expect(future?.extensions?.code).toBe('DATE_RANGE_INVALID');
    expect((await refused(officer001, END, { caseId: caseOf.B, endedOn: '2027-03-14', reason: 'RELAPSED' }))?.extensions?.code).toBe('NOT_FOUND');
    const ended = (await ok(officer104, END, { i: { caseId: caseOf.B, endedOn: '2027-03-14', reason: 'RELAPSED' } })).endCommunityRehabilitation;
    expect(ended).toMatchObject({ endedOn: '2027-03-14', endReason: 'RELAPSED', endReasonLabel: '复吸', open: false, plannedEnd: '2030-03-09' });
    const again = await refused(officer104, END, { caseId: caseOf.B, endedOn: '2027-03-15', reason: 'COMPLETED' });
    expect(again).toMatchObject({ message: expect.stringMatching(/无进行中的社区康复/), extensions: { code: 'ILLEGAL_TRANSITION' } });
    await ok(officer104, START, { i: { caseId: caseOf.B, startDate: '2027-03-15', decisionNo: 'D-3', months: 1 } });
    const periods = (await ok(officer104, CASE, { id: caseOf.B })).aftercareCase.communityRehabilitationPeriods;
    expect(periods.map((p: { startDate: string; open: boolean }) => [p.startDate, p.open])).toEqual([
      ['2027-03-10', false],
      ['2027-03-15', true],
    ]);
    const [audit] = await svc.db.query<{ details: { reason: string } }>(`SELECT details FROM audit.events WHERE action = 'aftercare.community-rehab.end' AND outcome = 'SUCCESS' ORDER BY id`);
    expect(audit.details.reason).toBe('RELAPSED');
  });

  it('AC-5: the station lists the open periods whose planned end falls within N days (default 30), the soonest first; another town sees only its own', async () => {
    await ok(officer104, START, { i: { caseId: caseOf.A, startDate: '2027-03-05', decisionNo: 'D-4', months: 36 } });
    // B's open period ends 2027-04-14 (30 days from 2027-03-15); A's in 2030.
    const within30 = (await ok(officer104, ENDING, {})).communityRehabilitationsEnding;
    expect(within30).toEqual([{ period: { plannedEnd: '2027-04-14', daysToPlannedEnd: 30 }, aftercareCase: { id: caseOf.B, town: { code: '104' } } }]);
    expect((await ok(officer104, ENDING, { d: 29 })).communityRehabilitationsEnding).toEqual([]);
    expect((await ok(officer104, ENDING, { d: 1100 })).communityRehabilitationsEnding.map((e: { aftercareCase: { id: string } }) => e.aftercareCase.id)).toEqual([caseOf.B, caseOf.A]);
    expect((await ok(officer001, ENDING, { d: 1100 })).communityRehabilitationsEnding).toEqual([]);
    const [audited] = await svc.db.query<{ details: { count: number; withinDays: number } }>(`SELECT details FROM audit.events WHERE action = 'aftercare.case.list' AND details->>'list' = 'community-rehab-ending' ORDER BY id LIMIT 1`);
    expect(audited.details).toMatchObject({ count: 1, withinDays: 30 });
  });

  it('AC-5: closing the case (died) ends its open community rehabilitation that day with the matching reason; it leaves the station\'s list; the closing is audited with it', async () => {
    const open = (await ok(officer104, CASE, { id: caseOf.A })).aftercareCase.communityRehabilitationPeriods.find((p: { open: boolean }) => p.open);
    expect(open).toBeDefined();
    await ok(officer104, `mutation($i: CloseAftercareCaseInput!) { closeAftercareCase(input: $i) { id status } }`, { i: { caseId: caseOf.A, reason: 'DIED', closedOn: '2027-03-15' } });
    const after = (await ok(officer104, CASE, { id: caseOf.A })).aftercareCase.communityRehabilitationPeriods.find((p: { id: string }) => p.id === open.id);
    expect(after).toMatchObject({ open: false, endedOn: '2027-03-15', endReason: 'DIED' });
    expect(after.endReasonLabel).toMatch(/[\u4e00-\u9fff]/);
    const ending = (await ok(officer104, ENDING, { d: 1100 })).communityRehabilitationsEnding.map((e: { aftercareCase: { id: string } }) => e.aftercareCase.id);
    expect(ending).not.toContain(caseOf.A);
    const [closed] = await svc.db.query<{ details: Record<string, unknown> }>(`SELECT details FROM audit.events WHERE action = 'aftercare.case.close' AND entity_id = $1`, [caseOf.A]);
    expect(closed.details).toMatchObject({ reason: 'DIED', communityRehabEnded: [open.id] });
  });
});

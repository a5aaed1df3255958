import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { idNumberOf, noticeBody, useResettlementApp } from '../../test/resettlement-harness';

jest.setTimeout(90_000);

type Edge = { node: { id: string } };
const idsOf = (conn: { edges: Edge[] }) => conn.edges.map((e) => e.node.id);

/** RS-5 … RS-8: the town office's release lists, pick-ups, assessments, hand-overs, welfare and the case page (staff GraphQL, real PostgreSQL + Redis). */
describe('resettlement staff GraphQL: releases, pick-ups, assessments, welfare, the case page', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const { svc, prison, officer104, officer107, bureau, gql, ok, errorCode, post } = useResettlementApp({ label: 'rs-gql-releases', clock, keys });
  const n: Record<string, string> = {};
  const r: Record<string, string> = {};
  let caseId: string;
  let personKey: string;

  beforeAll(async () => {
    n.key = (await post('pre-release-notices', prison, 'N-K', noticeBody('P-K', idNumberOf(11), { expectedReleaseDate: '2027-03-01', keyCategories: ['POOR_CONDUCT'] })).expect(201)).body.id;
    n.general = (await post('pre-release-notices', prison, 'N-G', noticeBody('P-G', idNumberOf(12), { expectedReleaseDate: '2027-03-01' })).expect(201)).body.id;
    n.week = (await post('pre-release-notices', prison, 'N-W', noticeBody('P-W', idNumberOf(13), { expectedReleaseDate: '2027-03-04' })).expect(201)).body.id;
    n.later = (await post('pre-release-notices', prison, 'N-L', noticeBody('P-L', idNumberOf(14), { expectedReleaseDate: '2027-03-20' })).expect(201)).body.id;
    r.key = (await post('releases', prison, 'R-K', { preReleaseNoticeId: n.key, actualReleaseDate: '2027-03-01' }).expect(201)).body.id;
    r.general = (await post('releases', prison, 'R-G', { preReleaseNoticeId: n.general, actualReleaseDate: '2027-03-01' }).expect(201)).body.id;
    const [row] = await svc().db.query<{ case_id: string; person_key: string }>(`SELECT case_id, person_key FROM resettlement.releases WHERE id = $1`, [r.key]);
    caseId = row.case_id;
    personKey = row.person_key;
  });

  it('RS-5: releases this week are the notices expected today … +6 days and not yet released, soonest first', async () => {
    const Q = `{ releasesThisWeek { totalCount edges { node { id expectedReleaseDate } } } }`;
    expect((await ok(officer104, Q)).releasesThisWeek.edges).toEqual([{ node: { id: n.week, expectedReleaseDate: '2027-03-04' } }]);
    expect((await ok(officer107, Q)).releasesThisWeek.totalCount).toBe(0);
  });

  it('RS-5: a key person released without a pick-up is on the list until the pick-up is recorded (once)', async () => {
    const Q = `{ pickUpsMissing { totalCount edges { node { id keyPerson pickUpDue pickUpLate } } } }`;
    expect((await ok(officer104, Q)).pickUpsMissing.edges).toEqual([{ node: { id: r.key, keyPerson: true, pickUpDue: '2027-03-02', pickUpLate: false } }]);
    expect((await ok(officer107, Q)).pickUpsMissing.totalCount).toBe(0);
    const PICK = `mutation($input: RecordPickUpInput!) { recordPickUp(input: $input) { pickUp { by byLabel collectorName place } } }`;
    const input = { releaseId: r.key, by: 'OFFICE_STAFF', collectorName: '王某', relationship: '司法所工作人员', place: '监狱门口' };
    expect(await errorCode(officer107, PICK, { input })).toBe('NOT_FOUND');
    expect(await errorCode(officer104, PICK, { input: { ...input, collectorName: '' } })).toBe('BAD_USER_INPUT');
    const picked = (await ok(officer104, PICK, { input })).recordPickUp.pickUp;
    expect(picked).toMatchObject({ by: 'OFFICE_STAFF', collectorName: '王某', place: '监狱门口', byLabel: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    expect((await ok(officer104, Q)).pickUpsMissing.totalCount).toBe(0);
    expect(await errorCode(officer104, PICK, { input })).toBe('CONFLICT');
  });

  it('RS-6: risk assessments due within the window or late, until recorded; factors are required', async () => {
    const Q = `query($d: Int) { riskAssessmentsDue(withinDays: $d) { edges { node { id riskAssessmentDue } } } }`;
    expect(idsOf((await ok(officer104, Q, { d: 7 })).riskAssessmentsDue)).toEqual([]);
    expect(idsOf((await ok(officer104, Q, { d: 30 })).riskAssessmentsDue).sort()).toEqual([r.key, r.general].sort());
    const A = `mutation($input: RecordRiskAssessmentInput!) { recordRiskAssessment(input: $input) { level levelLabel factors onTime assessedOn } }`;
    expect(await errorCode(officer104, A, { input: { releaseId: r.key, level: 'HIGH', factors: [] } })).toBe('BAD_USER_INPUT');
    expect(await errorCode(officer107, A, { input: { releaseId: r.key, level: 'HIGH', factors: ['无固定住所'] } })).toBe('NOT_FOUND');
    expect((await ok(officer104, A, { input: { releaseId: r.key, level: 'HIGH', factors: ['无固定住所'] } })).recordRiskAssessment).toEqual({
      level: 'HIGH', levelLabel: '高', factors: ['无固定住所'], onTime: true, assessedOn: '2027-03-01',
    });
    expect(idsOf((await ok(officer104, Q, { d: 30 })).riskAssessmentsDue)).toEqual([r.general]);
  });

  it('RS-6: key persons are due for the police hand-over within 7 days; recorded once', async () => {
    const Q = `{ policeHandOversDue { edges { node { id policeHandOverDue } } } }`;
    expect((await ok(officer104, Q)).policeHandOversDue.edges).toEqual([{ node: { id: r.key, policeHandOverDue: '2027-03-08' } }]);
    const H = `mutation($input: RecordPoliceHandOverInput!) { recordPoliceHandOver(input: $input) { policeUnit onTime handedOverOn } }`;
    expect(await errorCode(officer104, H, { input: { releaseId: r.key, policeUnit: '澄江派出所', handedOverOn: '2027-03-02' } })).toBe('DATE_INVALID');
    expect((await ok(officer104, H, { input: { releaseId: r.key, policeUnit: '澄江派出所' } })).recordPoliceHandOver).toEqual({ policeUnit: '澄江派出所', onTime: true, handedOverOn: '2027-03-01' });
    expect((await ok(officer104, Q)).policeHandOversDue.edges).toEqual([]);
    expect(await errorCode(officer104, H, { input: { releaseId: r.key, policeUnit: '澄江派出所' } })).toBe('CONFLICT');
  });

  it('RS-7: welfare referral and decision, an employment service, the resettlement status; another town gets NOT_FOUND', async () => {
    const REFER = `mutation($input: ReferWelfareInput!) { referWelfare(input: $input) { id status statusLabel kindLabel } }`;
    const denials = async () => (await svc().db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE outcome = 'DENIED'`))[0].n;
    const deniedBefore = await denials();
    expect(await errorCode(officer107, REFER, { input: { caseId, kind: 'MINIMUM_LIVING_ALLOWANCE' } })).toBe('NOT_FOUND');
    expect(await denials()).toBe(deniedBefore + 1);
    const ref = (await ok(officer104, REFER, { input: { caseId, kind: 'MINIMUM_LIVING_ALLOWANCE', note: '家庭困难' } })).referWelfare;
    expect(ref).toMatchObject({ status: 'REFERRED', statusLabel: '已转介', kindLabel: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    const DECIDE = `mutation($input: DecideWelfareReferralInput!) { decideWelfareReferral(input: $input) { status statusLabel decidedOn } }`;
    expect((await ok(officer104, DECIDE, { input: { referralId: ref.id, status: 'GRANTED' } })).decideWelfareReferral).toEqual({ status: 'GRANTED', statusLabel: '已获批', decidedOn: '2027-03-01' });
    expect(await errorCode(officer104, DECIDE, { input: { referralId: ref.id, status: 'REFUSED' } })).toBe('ILLEGAL_TRANSITION');
    expect(await errorCode(officer104, DECIDE, { input: { referralId: ref.id, status: 'MAYBE' } })).toBe('BAD_USER_INPUT');
    const EMP = `mutation($input: RecordEmploymentServiceInput!) { recordEmploymentService(input: $input) { kind providedOn } }`;
    expect((await ok(officer104, EMP, { input: { caseId, kind: 'SKILLS_TRAINING', providedOn: '2027-03-01' } })).recordEmploymentService).toEqual({ kind: 'SKILLS_TRAINING', providedOn: '2027-03-01' });
    const STATUS = `mutation($input: SetResettlementStatusInput!) { setResettlementStatus(input: $input) { resettlementStatus resettlementStatusLabel resettlementStatusSince } }`;
    const status = (await ok(officer104, STATUS, { input: { caseId, status: 'EMPLOYED', since: '2027-03-01' } })).setResettlementStatus;
    expect(status).toMatchObject({ resettlementStatus: 'EMPLOYED', resettlementStatusSince: '2027-03-01', resettlementStatusLabel: expect.stringMatching(/[\u4e00-\u9fa5]/) });
  });

  const PAGE = `id source resettlementStatus release { id pickUp { collectorName } } notice { id keyPerson } agreement { id }
    riskAssessments { level } policeHandOver { policeUnit } welfareReferrals { status } employmentServices { kind } placements { id } reoffences { id }`;

  it('RS-6 / RS-7: the case page shows the release, notice, assessments, hand-over, welfare and employment; search by person key finds it', async () => {
    const page = (await ok(officer104, `query($id: ID!) { resettlementCase(id: $id) { ${PAGE} } }`, { id: caseId })).resettlementCase;
    expect(page).toEqual({
      id: caseId,
      source: 'PRISON_RELEASE',
      resettlementStatus: 'EMPLOYED',
      release: { id: r.key, pickUp: { collectorName: '王某' } },
      notice: { id: n.key, keyPerson: true },
      agreement: null,
      riskAssessments: [{ level: 'HIGH' }],
      policeHandOver: { policeUnit: '澄江派出所' },
      welfareReferrals: [{ status: 'GRANTED' }],
      employmentServices: [{ kind: 'SKILLS_TRAINING' }],
      placements: [],
      reoffences: [],
    });
    const found = (await ok(officer104, `query($k: String!) { resettlementCasesOfPerson(personKey: $k) { id } }`, { k: personKey })).resettlementCasesOfPerson;
    expect(found).toEqual([{ id: caseId }]);
    expect(await errorCode(officer104, `{ resettlementCasesOfPerson(personKey: "x") { id } }`)).toBe('BAD_USER_INPUT');
    const person = (
      await ok(bureau, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { resettlementCases { id release { id } welfareReferrals { status } } } } }`, {
        reps: [{ __typename: 'Person', key: personKey }],
      })
    )._entities[0].resettlementCases;
    expect(person).toEqual([{ id: caseId, release: { id: r.key }, welfareReferrals: [{ status: 'GRANTED' }] }]);
  });

  it('another town\'s officer sees nothing of the case: null, an empty search, the denial audited', async () => {
    const res = await gql(officer107, `query($id: ID!) { resettlementCase(id: $id) { ${PAGE} } }`, { id: caseId }).expect(200);
    expect(res.body.data.resettlementCase).toBeNull();
    expect((await ok(officer107, `query($k: String!) { resettlementCasesOfPerson(personKey: $k) { id } }`, { k: personKey })).resettlementCasesOfPerson).toEqual([]);
    const denied = await svc().db.query(`SELECT 1 FROM audit.events WHERE action = 'resettlement.case.read' AND outcome = 'DENIED' AND entity_id = $1`, [caseId]);
    expect(denied).toHaveLength(1);
    const read = await svc().db.query<{ person_key: string }>(`SELECT person_key FROM audit.events WHERE action = 'resettlement.case.read' AND entity_id = $1 AND outcome <> 'DENIED'`, [caseId]);
    expect(read.map((x) => x.person_key)).toEqual([personKey]);
  });

  it('issue 9 item 13: Person.resettlementCases carries the case\'s history: the RS-3 category changes with their reasons and the RS-13 disputes, besides the release, assessments, hand-over and welfare', async () => {
    const CHANGE = `mutation($input: ChangeKeyCategoriesInput!) { changeKeyCategories(input: $input) { keyCategories } }`;
    await ok(officer104, CHANGE, { input: { noticeId: n.key, categories: ['POOR_CONDUCT', 'HIGH_REOFFENDING_RISK'], reason: '出监评估为高危' } });
    const DISPUTE = `mutation($input: RecordResettlementDisputeInput!) { recordResettlementDispute(input: $input) { id } }`;
    await ok(officer104, DISPUTE, { input: { caseId, category: 'FAMILY', occurredOn: '2027-03-01', summary: '与家人争吵' } });
    const [kase] = (
      await ok(
        bureau,
        `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { resettlementCases { id
          keyCategoryChanges { before after afterLabels reason } disputes { category categoryLabel occurredOn }
          riskAssessments { level } policeHandOver { policeUnit } welfareReferrals { status } employmentServices { kind } } } } }`,
        { reps: [{ __typename: 'Person', key: personKey }] },
      )
    )._entities[0].resettlementCases;
    expect(kase).toEqual({
      id: caseId,
      keyCategoryChanges: [{ before: ['POOR_CONDUCT'], after: ['POOR_CONDUCT', 'HIGH_REOFFENDING_RISK'], afterLabels: [expect.stringMatching(/[\u4e00-\u9fa5]/), expect.stringMatching(/[\u4e00-\u9fa5]/)], reason: '出监评估为高危' }],
      disputes: [{ category: 'FAMILY', categoryLabel: '婚姻家庭纠纷', occurredOn: '2027-03-01' }],
      riskAssessments: [{ level: 'HIGH' }],
      policeHandOver: { policeUnit: '澄江派出所' },
      welfareReferrals: [{ status: 'GRANTED' }],
      employmentServices: [{ kind: 'SKILLS_TRAINING' }],
    });
    // Another town's officer gets none of it through the person either.
    const elsewhere = await ok(officer107, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { resettlementCases { id } } } }`, { reps: [{ __typename: 'Person', key: personKey }] });
    expect(elsewhere._entities[0].resettlementCases).toEqual([]);
  });
});

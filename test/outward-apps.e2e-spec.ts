import { addDays, idNumberCheckChar } from '@homeward/domain';
import { Stack, enrolmentPayload, startStack } from '@homeward/testing';

/**
 * Issue 12 "Done when", through the gateway, the whole stack: an officer opens 在矫通 for a subject;
 * the subject activates it (username, password, this phone), logs in, checks in by APP with a good and
 * then a bad face-match score, reports 4 hours of self-study that the officer confirms, asks for
 * assistance and sees it given; a team member invited to 协矫通 records a visit that appears in the
 * officer's view. What a subject or team member is refused reads in Chinese with English beside.
 */
jest.setTimeout(300_000);

const idOf = (base: string) => `${base}${idNumberCheckChar(base)}`;
const PERSON = idOf('32028119880808123');
const OTHER = idOf('32028119890909123');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };

describe('issue 12: 在矫通 and 协矫通 through the gateway', () => {
  let stack: Stack;
  let officer: string;
  let subjectId: string;
  let otherId: string;
  const post = async (path: string, token: string | null, body: object, key?: string) =>
    fetch(`${stack.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  const gql = async (token: string, query: string, variables: Record<string, unknown> = {}): Promise<Body> => (await (await post('/graphql', token, { query, variables })).json()) as Body;
  const ok = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  beforeAll(async () => {
    stack = await startStack();
    const today = stack.today();
    const court = await stack.partnerToken('COURT');
    const user = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    officer = await stack.login(user.username, user.password);
    const enrol = async (idNumber: string, name: string, key: string) => {
      const res = await post('/api/v1/correction/enrolments', court, enrolmentPayload({ idNumber, name, town: '104', on: today, until: addDays(today, 365) }, { judgmentDocumentNo: `(2026)苏0281刑初${key}号` }), key);
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    subjectId = await enrol(PERSON, '陈某', 'APP-1');
    otherId = await enrol(OTHER, '林某', 'APP-2');
    for (const id of [subjectId, otherId]) {
      await ok(officer, `mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { id } }`, { i: { subjectId: id, reportedOn: today } });
      await ok(officer, `mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { id } }`, {
        i: { subjectId: id, items: ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'], doneOn: today },
      });
      await ok(officer, `mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { id } }`, { i: { subjectId: id, on: today } });
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('CC-21 / issue 12: activation, APP check-ins (good, bad), 4 self-study hours confirmed, assistance given; a team member\'s visit reaches the officer', async () => {
    const today = stack.today();
    // 1. The officer opens 在矫通; the subject activates it on its phone and logs in from it.
    const { issueSubjectAppActivation: act } = await ok(officer, `mutation($s: ID!) { issueSubjectAppActivation(subjectId: $s) { accountId code expiresAt } }`, { s: subjectId });
    const app = await stack.activateApp(act.code);
    const login = await post('/api/v1/auth/login', null, { username: app.username, password: app.password, deviceId: app.deviceId });
    expect(login.status).toBe(200);
    const me = ((await login.json()) as { accessToken: string }).accessToken;
    const otherPhone = await post('/api/v1/auth/login', null, { username: app.username, password: app.password, deviceId: 'someone-elses-phone' });
    expect(otherPhone.status).toBe(401);
    const reuse = await post('/api/v1/auth/activate', null, { code: act.code, username: 'another.name', password: app.password, deviceId: 'x-device-0001' });
    expect(reuse.status).toBe(401);
    expect(JSON.stringify(await reuse.json())).toContain('激活码无效或已过期');

    const mine = (await ok(me, `{ myCorrection { id statusLabel nextCheckInDue educationHoursDone educationHoursDue } }`)).myCorrection;
    expect(mine).toMatchObject({ id: subjectId, statusLabel: '在矫', educationHoursDone: 0 });

    // 2. APP check-in: a good face match is a check-in; a bad one is recorded as failed and the officer sees it.
    const CHECK_IN = `mutation($i: AppCheckInInput!) { appCheckIn(input: $i) { outcome outcomeLabel checkInId } }`;
    const good = (await ok(me, CHECK_IN, { i: { faceMatchScore: 0.95, lat: 31.91, lng: 120.27 } })).appCheckIn;
    expect(good.outcome).toBe('ACCEPTED');
    const bad = (await ok(me, CHECK_IN, { i: { faceMatchScore: 0.35, lat: 31.91, lng: 120.27 } })).appCheckIn;
    expect(bad).toMatchObject({ outcome: 'FACE_MATCH_FAILED', checkInId: null });
    const officerView = (await ok(officer, `query($id: ID!) { correctionSubject(id: $id) { checkIns { edges { node { id channel faceMatchScore } } } } appCheckInFailures(subjectId: $id) { edges { node { faceMatchScore threshold } } } }`, { id: subjectId }));
    expect(officerView.correctionSubject.checkIns.edges).toEqual([{ node: { id: good.checkInId, channel: 'APP', faceMatchScore: 0.95 } }]);
    expect(officerView.appCheckInFailures.edges).toEqual([{ node: { faceMatchScore: 0.35, threshold: 0.8 } }]);

    // 3. Four hours of self-study, pending until the officer confirms them; then they count.
    const reported = (await ok(me, `mutation($i: ReportHoursInput!) { reportSelfStudy(input: $i) { id statusLabel } }`, { i: { hours: 4, onDate: today, note: '学习《社区矫正法》' } })).reportSelfStudy;
    expect(reported.statusLabel).toBe('待确认');
    expect((await ok(me, `{ myCorrection { educationHoursDone } }`)).myCorrection.educationHoursDone).toBe(0);
    await ok(officer, `mutation($id: ID!) { confirmSelfReportedHours(id: $id) { status } }`, { id: reported.id });
    expect((await ok(me, `{ myCorrection { educationHoursDone } }`)).myCorrection.educationHoursDone).toBe(4);
    expect((await ok(officer, `query($id: ID!) { correctionSubject(id: $id) { compliance { educationHoursDone } } }`, { id: subjectId })).correctionSubject.compliance.educationHoursDone).toBe(4);

    // 4. An assistance request, given by the office, seen by the subject.
    const asked = (await ok(me, `mutation($i: RequestAssistanceInput!) { requestAssistance(input: $i) { id statusLabel } }`, { i: { kind: 'SKILLS_TRAINING', description: '想参加电工培训' } })).requestAssistance;
    expect(asked.statusLabel).toBe('待帮扶');
    await ok(officer, `mutation($i: GiveAssistanceInput!) { giveAssistance(input: $i) { status } }`, { i: { needId: asked.id, note: '已报名市职教中心电工班' } });
    expect((await ok(me, `{ myAssistanceRequests { id status statusLabel givenNote } }`)).myAssistanceRequests).toEqual([{ id: asked.id, status: 'MET', statusLabel: '已帮扶', givenNote: '已报名市职教中心电工班' }]);

    // 5. What the subject is refused is in Chinese with English beside; staff operations are closed to it.
    const refused = await gql(me, `mutation($i: ReportHoursInput!) { reportSelfStudy(input: $i) { id } }`, { i: { hours: 2, onDate: addDays(today, 1) } });
    expect(refused.errors?.[0].message).toMatch(/[a-z].* \/ .*[\u4e00-\u9fa5]/);
    expect((await gql(me, `query($id: ID!) { correctionSubject(id: $id) { id } }`, { id: otherId })).data?.correctionSubject ?? null).toBeNull();

    // 6. A grid worker on the subject's team is invited to 协矫通, records a visit; the officer sees it.
    const member = (await ok(officer, `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`, { i: { subjectId, role: 'GRID_WORKER', name: '周网格', gender: 'MALE' } })).addTeamMember;
    const invite = (await ok(officer, `mutation($i: InviteTeamMemberInput!) { inviteTeamMember(input: $i) { code } }`, { i: { teamMemberId: member.id } })).inviteTeamMember;
    const team = (await stack.activateApp(invite.code)).token;
    const assigned = (await ok(team, `{ myAssignedSubjects { subjectId name teamRoleLabel } }`)).myAssignedSubjects;
    expect(assigned).toEqual([{ subjectId, name: '陈某', teamRoleLabel: '网格员' }]);
    const at = new Date(stack.now().getTime() - 60_000).toISOString();
    const visit = (await ok(team, `mutation($i: RecordTeamVisitInput!) { recordTeamVisit(input: $i) { id } }`, { i: { subjectId, kind: 'VISIT', at, place: '璜土镇石庄村', observation: '在家务农，家属反映表现良好' } })).recordTeamVisit;
    const notMine = await gql(team, `mutation($i: RecordTeamVisitInput!) { recordTeamVisit(input: $i) { id } }`, { i: { subjectId: otherId, kind: 'VISIT', at, place: 'x', observation: 'y' } });
    expect(notMine.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(notMine.errors?.[0].message).toContain('在您负责的矫正对象中未找到该对象');
    const seen = (await ok(officer, `query($id: ID!) { teamVisits(subjectId: $id) { edges { node { id kindLabel place observation } } } }`, { id: subjectId })).teamVisits.edges;
    expect(seen).toEqual([{ node: { id: visit.id, kindLabel: '走访', place: '璜土镇石庄村', observation: '在家务农，家属反映表现良好' } }]);
  });
});

import { Role } from '@homeward/domain';
import { FixedClock, activationCodeHash } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { testCast } from '@homeward/testing';
import { enrolActiveSubject, useCorrectionApp, whileSubjectIsMoved } from '../../test/correction-harness';

jest.setTimeout(90_000);

/**
 * Issue 12 items 1–3 (CC-21): the office opens 在矫通 / 协矫通 accounts; a SUBJECT token reaches its own
 * record only, a TEAM_MEMBER token its assigned subjects only; what they record reaches the office.
 */
describe('CC-21 the subject\'s app (在矫通) and the team\'s app (协矫通) (real PostgreSQL + Redis)', () => {
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const { court, officer104, officer107, mint } = testCast(keys, clock);
  const { svc, ok, errorCode, gql } = useCorrectionApp({ label: 'ccoutward', clock, keys });
  const subjectToken = (accountId: string) => mint(staffPrincipal({ sub: accountId, roles: [Role.SUBJECT], towns: [], username: `app-${accountId.slice(0, 6)}` }));
  const teamToken = (accountId: string) => mint(staffPrincipal({ sub: accountId, roles: [Role.TEAM_MEMBER], towns: [], username: `team-${accountId.slice(0, 6)}` }));

  const ISSUE = `mutation($s: ID!) { issueSubjectAppActivation(subjectId: $s) { accountId code expiresAt } }`;
  const MINE = `{ myCorrection { id status statusLabel nextCheckInDue checkInIntervalDays educationHoursDue educationHoursDone supervisionLevelLabel } }`;
  const CHECK_IN = `mutation($i: AppCheckInInput!) { appCheckIn(input: $i) { outcome outcomeLabel checkInId nextCheckInDue } }`;

  let a: string;
  let b: string;
  beforeAll(async () => {
    a = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310062', on: '2026-08-01' });
    b = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310089', on: '2026-08-01' });
  });

  it('issue 12 item 1: the office issues a one-time code, shown once and kept only as a hash; another town cannot; a new code supersedes the old', async () => {
    const { issueSubjectAppActivation: first } = await ok(officer104, ISSUE, { s: a });
    expect(first.code).toMatch(/^[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}-[2-9A-HJ-NP-TV-Z]{4}$/);
    expect(new Date(first.expiresAt).getTime()).toBe(clock.now().getTime() + 72 * 3_600_000);
    const stored = await svc().dataSource.query(`SELECT code_hash, superseded_at FROM app_access.activations WHERE account_id = $1`, [first.accountId]);
    expect(stored).toEqual([{ code_hash: activationCodeHash(first.code), superseded_at: null }]);
    expect(JSON.stringify(await svc().dataSource.query(`SELECT * FROM app_access.activations`))).not.toContain(first.code.replace(/-/g, ''));
    expect(await errorCode(officer107, ISSUE, { s: a })).toBe('NOT_FOUND');
    const { issueSubjectAppActivation: again } = await ok(officer104, ISSUE, { s: a });
    expect(again.accountId).toBe(first.accountId);
    expect(again.code).not.toBe(first.code);
    const rows = await svc().dataSource.query(`SELECT code_hash, superseded_at IS NOT NULL AS superseded FROM app_access.activations WHERE account_id = $1 ORDER BY issued_at, superseded_at NULLS LAST`, [first.accountId]);
    expect(rows).toEqual([
      { code_hash: activationCodeHash(first.code), superseded: true },
      { code_hash: activationCodeHash(again.code), superseded: false },
    ]);
  });

  it('CC-21: the subject sees its own obligations, checks in by APP (a good then a bad face match), reports 4 hours the officer confirms, asks for assistance and sees it given', async () => {
    const { issueSubjectAppActivation: act } = await ok(officer104, ISSUE, { s: a });
    const me = subjectToken(act.accountId);
    const mine = (await ok(me, MINE)).myCorrection;
    expect(mine).toMatchObject({ id: a, status: 'ACTIVE', statusLabel: '在矫', checkInIntervalDays: 7, supervisionLevelLabel: expect.stringContaining('严管'), educationHoursDone: 0 });
    expect(mine.educationHoursDue).toBeGreaterThan(0);

    const good = (await ok(me, CHECK_IN, { i: { faceMatchScore: 0.93, lat: 31.91, lng: 120.28 } })).appCheckIn;
    expect(good).toMatchObject({ outcome: 'ACCEPTED', outcomeLabel: '报到成功', nextCheckInDue: '2026-08-10' });
    const bad = (await ok(me, CHECK_IN, { i: { faceMatchScore: 0.41, lat: 31.91, lng: 120.28 } })).appCheckIn;
    expect(bad).toMatchObject({ outcome: 'FACE_MATCH_FAILED', checkInId: null });
    expect(bad.outcomeLabel).toContain('人脸比对未通过');
    const seen = (await ok(officer104, `query($id: ID!) { correctionSubject(id: $id) { checkIns { edges { node { id channel faceMatchScore } } } } }`, { id: a })).correctionSubject;
    expect(seen.checkIns.edges).toEqual([{ node: { id: good.checkInId, channel: 'APP', faceMatchScore: 0.93 } }]);
    const failures = (await ok(officer104, `{ appCheckInFailures { totalCount edges { node { subjectId faceMatchScore threshold } } } }`)).appCheckInFailures;
    expect(failures).toEqual({ totalCount: 1, edges: [{ node: { subjectId: a, faceMatchScore: 0.41, threshold: 0.8 } }] });
    expect((await ok(officer107, `{ appCheckInFailures { totalCount } }`)).appCheckInFailures.totalCount).toBe(0);
    expect((await ok(me, `{ myFailedCheckIns { faceMatchScore } }`)).myFailedCheckIns).toEqual([{ faceMatchScore: 0.41 }]);

    const reported = (await ok(me, `mutation($i: ReportHoursInput!) { reportSelfStudy(input: $i) { id status statusLabel hours kindLabel } }`, { i: { hours: 4, onDate: '2026-08-02', note: '学习法律法规' } })).reportSelfStudy;
    expect(reported).toMatchObject({ status: 'PENDING', statusLabel: '待确认', hours: 4, kindLabel: '教育学习' });
    expect((await ok(me, MINE)).myCorrection.educationHoursDone).toBe(0);
    const pending = (await ok(officer104, `{ pendingSelfReportedHours { edges { node { id subjectId hours } } } }`)).pendingSelfReportedHours;
    expect(pending.edges).toEqual([{ node: { id: reported.id, subjectId: a, hours: 4 } }]);
    expect(await errorCode(officer107, `mutation($id: ID!) { confirmSelfReportedHours(id: $id) { status } }`, { id: reported.id })).toBe('NOT_FOUND');
    const confirmed = (await ok(officer104, `mutation($id: ID!) { confirmSelfReportedHours(id: $id) { status decidedBy } }`, { id: reported.id })).confirmSelfReportedHours;
    expect(confirmed.status).toBe('CONFIRMED');
    expect((await ok(me, MINE)).myCorrection.educationHoursDone).toBe(4);
    expect(await errorCode(officer104, `mutation($id: ID!) { confirmSelfReportedHours(id: $id) { status } }`, { id: reported.id })).toBe('ILLEGAL_TRANSITION');
    expect((await ok(me, `{ mySelfReportedHours { status statusLabel } }`)).mySelfReportedHours).toEqual([{ status: 'CONFIRMED', statusLabel: '已确认' }]);

    const asked = (await ok(me, `mutation($i: RequestAssistanceInput!) { requestAssistance(input: $i) { id status statusLabel } }`, { i: { kind: 'JOB_REFERRAL', description: '希望推荐工作' } })).requestAssistance;
    expect(asked).toMatchObject({ status: 'OPEN', statusLabel: '待帮扶' });
    const needs = (await ok(officer104, `query($s: ID) { assistanceNeeds(subjectId: $s) { edges { node { id kind status } } } }`, { s: a })).assistanceNeeds;
    expect(needs.edges).toEqual([{ node: { id: asked.id, kind: 'JOB_REFERRAL', status: 'OPEN' } }]);
    await ok(officer104, `mutation($i: GiveAssistanceInput!) { giveAssistance(input: $i) { status } }`, { i: { needId: asked.id, note: '已推荐至澄江人力资源市场' } });
    expect((await ok(me, `{ myAssistanceRequests { status statusLabel givenNote } }`)).myAssistanceRequests).toEqual([{ status: 'MET', statusLabel: '已帮扶', givenNote: '已推荐至澄江人力资源市场' }]);

    await ok(officer104, `mutation($i: SendSubjectMessageInput!) { sendSubjectMessage(input: $i) { id } }`, { i: { subjectId: a, body: '请于周五到司法所参加集中教育' } });
    const [message] = (await ok(me, `{ myMessages { id body readAt } }`)).myMessages;
    expect(message).toMatchObject({ body: '请于周五到司法所参加集中教育', readAt: null });
    expect((await ok(me, `mutation($id: ID!) { markMessageRead(id: $id) { readAt } }`, { id: message.id })).markMessageRead.readAt).not.toBeNull();
    const audited = await svc().db.query(
      `SELECT action, actor_id FROM audit.events WHERE entity_id = $1 AND action LIKE 'correction.app.message-%' ORDER BY id`,
      [message.id],
    );
    expect(audited).toEqual([
      { action: 'correction.app.message-send', actor_id: expect.any(String) },
      { action: 'correction.app.message-read', actor_id: act.accountId },
    ]);
  });

  it('CC-21: a SUBJECT token reaches no staff operation and no other record; an unbound one has none; refusals are in Chinese', async () => {
    const { issueSubjectAppActivation: act } = await ok(officer104, ISSUE, { s: a });
    const me = subjectToken(act.accountId);
    const staffOnly = await gql(me, `query($id: ID!) { correctionSubject(id: $id) { id } }`, { id: b }).expect(200);
    expect(staffOnly.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(staffOnly.body.errors[0].message).toMatch(/[a-z].* \/ .*[\u4e00-\u9fa5]/);
    expect(await errorCode(me, `{ correctionSubjects { totalCount } }`)).toBe('FORBIDDEN');
    const stranger = await gql(subjectToken('00000000-0000-4000-8000-000000000001'), MINE).expect(200);
    expect(stranger.body.errors[0].extensions.code).toBe('NOT_FOUND');
    expect(stranger.body.errors[0].message).toContain('未找到本账号对应的矫正记录');
    // a score from a broken device is a clear error that records nothing
    const broken = await gql(me, CHECK_IN, { i: { faceMatchScore: 3, lat: 31.9, lng: 120.2 } }).expect(200);
    expect(broken.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(broken.body.errors[0].message).toMatch(/ \/ .*[\u4e00-\u9fa5].*faceMatchScore/);
    const future = await gql(me, `mutation($i: ReportHoursInput!) { reportSelfStudy(input: $i) { id } }`, { i: { hours: 2, onDate: '2026-08-04' } }).expect(200);
    expect(future.body.errors[0].message).toContain('日期不能晚于今天');
  });

  it('CC-21 协矫通: a team member sees only the subjects whose team it is on (name, no ID number), records a visit the office sees, and is told what is overdue', async () => {
    const added = (await ok(officer104, `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`, { i: { subjectId: a, role: 'GRID_WORKER', name: '王网格', gender: 'MALE' } })).addTeamMember;
    const invited = (await ok(officer104, `mutation($i: InviteTeamMemberInput!) { inviteTeamMember(input: $i) { accountId code } }`, { i: { teamMemberId: added.id } })).inviteTeamMember;
    expect(invited.code).toMatch(/^\w{4}-\w{4}-\w{4}$/);
    expect(await errorCode(officer107, `mutation($i: InviteTeamMemberInput!) { inviteTeamMember(input: $i) { code } }`, { i: { teamMemberId: added.id } })).toBe('NOT_FOUND');
    const team = teamToken(invited.accountId);
    const LIST = `{ myAssignedSubjects { subjectId name teamRoleLabel nextCheckInDue overdue { kind label } } }`;
    const assigned = (await ok(team, LIST)).myAssignedSubjects;
    expect(assigned).toHaveLength(1);
    expect(assigned[0]).toMatchObject({ subjectId: a, teamRoleLabel: '网格员', overdue: [] });
    expect(typeof assigned[0].name).toBe('string');

    const VISIT = `mutation($i: RecordTeamVisitInput!) { recordTeamVisit(input: $i) { id kindLabel } }`;
    const visit = (await ok(team, VISIT, { i: { subjectId: a, kind: 'OBSERVATION', at: '2026-08-03T01:00:00Z', place: '澄江街道某小区', observation: '近日情绪稳定，在家照顾老人' } })).recordTeamVisit;
    expect(visit.kindLabel).toBe('日常观察');
    expect(await errorCode(team, VISIT, { i: { subjectId: b, kind: 'VISIT', at: '2026-08-03T01:00:00Z', place: 'x', observation: 'y' } })).toBe('NOT_FOUND');
    expect((await ok(team, `{ myTeamVisits { id observation } }`)).myTeamVisits).toEqual([{ id: visit.id, observation: '近日情绪稳定，在家照顾老人' }]);
    const [readAudit] = await svc().db.query<{ ids: string[] }>(`SELECT details->'ids' AS ids FROM audit.events WHERE action = 'correction.team-app.visits' AND actor_id = $1`, [invited.accountId]);
    expect(readAudit.ids).toEqual([visit.id]);
    const office = (await ok(officer104, `{ teamVisits { totalCount edges { node { id subjectId observation kind } } } }`)).teamVisits;
    expect(office).toEqual({ totalCount: 1, edges: [{ node: { id: visit.id, subjectId: a, observation: '近日情绪稳定，在家照顾老人', kind: 'OBSERVATION' } }] });
    expect((await ok(officer107, `{ teamVisits { totalCount } }`)).teamVisits.totalCount).toBe(0);
    const onSubject = (await ok(officer104, `query($id: ID!) { correctionSubject(id: $id) { teamVisits { id place } } }`, { id: a })).correctionSubject.teamVisits;
    expect(onSubject).toEqual([{ id: visit.id, place: '澄江街道某小区' }]);
    expect(JSON.stringify(await svc().dataSource.query(`SELECT * FROM correction.team_visits`))).not.toContain('情绪稳定');

    // Twenty days on, the check-in is overdue: the team member is told.
    clock.set('2026-08-23T02:00:00Z');
    try {
      const later = (await ok(mint(staffPrincipal({ sub: invited.accountId, roles: [Role.TEAM_MEMBER], towns: [] })), LIST)).myAssignedSubjects;
      expect(later[0].overdue.map((o: { kind: string }) => o.kind)).toContain('CHECK_IN');
      expect(later[0].overdue.find((o: { kind: string }) => o.kind === 'CHECK_IN').label).toContain('报到已逾期');
    } finally {
      clock.set('2026-08-03T02:00:00Z');
    }

    // The membership ends: the subject leaves the member's list, and the row stays as history.
    await ok(officer104, `mutation($id: ID!) { removeTeamMember(id: $id) { id } }`, { id: added.id });
    expect((await ok(team, LIST)).myAssignedSubjects).toEqual([]);
    const history = await svc().dataSource.query(`SELECT account_id, ended_on IS NOT NULL AS ended FROM correction.team_members WHERE id = $1`, [added.id]);
    expect(history).toEqual([{ account_id: invited.accountId, ended: true }]);
  });

  it('issue 12 item 1: when the case ends (CC-2 discharge) the subject\'s account is closed, in the same change', async () => {
    const c = await enrolActiveSubject(svc(), court, { idNumber: '110105194912310097', on: '2026-08-01' });
    const { issueSubjectAppActivation: act } = await ok(officer104, ISSUE, { s: c });
    await svc().dataSource.query(`UPDATE correction.subjects SET correction_end_date = '2026-08-02' WHERE id = $1`, [c]);
    await ok(officer104, `mutation($i: DischargeSubjectInput!) { dischargeSubject(input: $i) { status } }`, { i: { subjectId: c, reason: 'EXPIRED', on: '2026-08-03' } });
    const [account] = await svc().dataSource.query(`SELECT active FROM app_access.accounts WHERE account_id = $1`, [act.accountId]);
    expect(account.active).toBe(false);
    expect(await errorCode(subjectToken(act.accountId), MINE)).toBe('NOT_FOUND');
    expect(await errorCode(officer104, ISSUE, { s: c })).toBe('ILLEGAL_TRANSITION');
  });

  it('CC-21: a phone/voice report the office records shows in the subject\'s own check-ins', async () => {
    const { issueSubjectAppActivation: act } = await ok(officer104, ISSUE, { s: b });
    await ok(officer104, `mutation($i: RecordCheckInInput!) { recordCheckIn(input: $i) { id } }`, { i: { subjectId: b, channel: 'PHONE_VOICE', at: '2026-08-03T01:30:00Z' } });
    expect((await ok(subjectToken(act.accountId), `{ myCheckIns { channel channelLabel onDate } }`)).myCheckIns).toEqual([{ channel: 'PHONE_VOICE', channelLabel: expect.stringContaining('电话'), onDate: '2026-08-03' }]);
  });

  it('issue 12 item 1: one person on two teams keeps one 协矫通 login (sameAccountAs) and sees both subjects; the joined membership must have an account and be reachable', async () => {
    const TEAM = `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`;
    const INVITE = `mutation($i: InviteTeamMemberInput!) { inviteTeamMember(input: $i) { accountId code } }`;
    const onA = (await ok(officer104, TEAM, { i: { subjectId: a, role: 'VOLUNTEER', name: '李志愿', gender: 'FEMALE' } })).addTeamMember;
    const onB = (await ok(officer104, TEAM, { i: { subjectId: b, role: 'VOLUNTEER', name: '李志愿', gender: 'FEMALE' } })).addTeamMember;
    expect(await errorCode(officer104, INVITE, { i: { teamMemberId: onB.id, sameAccountAs: onA.id } })).toBe('ILLEGAL_TRANSITION');
    const first = (await ok(officer104, INVITE, { i: { teamMemberId: onA.id } })).inviteTeamMember;
    const joined = (await ok(officer104, INVITE, { i: { teamMemberId: onB.id, sameAccountAs: onA.id } })).inviteTeamMember;
    expect(joined).toEqual({ accountId: first.accountId, code: null });
    const seen = (await ok(teamToken(first.accountId), `{ myAssignedSubjects { subjectId } }`)).myAssignedSubjects.map((s: { subjectId: string }) => s.subjectId);
    expect(seen.sort()).toEqual([a, b].sort());
    expect(await errorCode(officer107, INVITE, { i: { teamMemberId: onB.id, sameAccountAs: onA.id } })).toBe('NOT_FOUND');
  });

  it('CC-21: a team member invited while a residence transfer moves the subject waits for the transfer (subject first), and both complete — no deadlock', async () => {
    const member = (await ok(officer104, `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`, { i: { subjectId: a, role: 'GRID_WORKER', name: '赵网格', gender: 'MALE' } })).addTeamMember;
    // a residence transfer's carryOut under way: the subject locked, then its team's memberships updated
    const res = await whileSubjectIsMoved(
      svc().dataSource,
      a,
      () => gql(officer104, `mutation($i: InviteTeamMemberInput!) { inviteTeamMember(input: $i) { accountId code } }`, { i: { teamMemberId: member.id } }).then((r) => r),
      `UPDATE correction.team_members SET ended_on = ended_on WHERE subject_id = $1`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.inviteTeamMember.code).toMatch(/\S/);
  });

  it('CC-21: hours confirmed while a residence transfer moves the subject wait for the transfer (subject first), and both complete — no deadlock', async () => {
    const { issueSubjectAppActivation: act } = await ok(officer104, ISSUE, { s: b });
    const reported = (await ok(subjectToken(act.accountId), `mutation($i: ReportHoursInput!) { reportSelfStudy(input: $i) { id } }`, { i: { hours: 2, onDate: '2026-08-02', note: '学习' } })).reportSelfStudy;
    // a residence transfer's carryOut under way: the subject locked, then its self-reported hours moved to the new town
    const res = await whileSubjectIsMoved(
      svc().dataSource,
      b,
      () => gql(officer104, `mutation($id: ID!) { confirmSelfReportedHours(id: $id) { status } }`, { id: reported.id }).then((r) => r),
      `UPDATE correction.self_reported_hours SET town = town WHERE subject_id = $1`,
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.confirmSelfReportedHours.status).toBe('CONFIRMED');
  });
});

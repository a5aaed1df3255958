import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Role } from '@homeward/domain';
import { FixedClock, type Principal } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { ServiceApp, bootServiceApp, findClearPii, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../app.module';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { ResettlementConfig } from '../config';

jest.setTimeout(120_000);

const FAMILY_NAME = '王秀英';
const WORKER_NAME = '陈晓燕';
const GOALS = '稳定就业，修复与母亲王秀英的关系，身份证号 320281199001011234 不得外泄';
const MEASURE = '联系澄江街道用工单位提供岗位';

/** RS-6 the assistance team (帮教小组) and plan (帮教方案) of an assistance case, and the social worker's caseload from the team (real PostgreSQL + Redis). */
describe('RS-6 assistance team and plan (real PostgreSQL + Redis)', () => {
  let svc: ServiceApp<ResettlementConfig>;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-05-10T02:00:00Z'));
  const officer = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['104'] });
  const other = staffPrincipal({ roles: [Role.TOWN_OFFICER], towns: ['001'] });
  const worker = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'], username: 'chenxy' });
  const otherWorker = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'], username: 'liul' });

  const gql = (query: string, variables: Record<string, unknown>, who: Principal = officer) =>
    request(svc.app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${keys.mint(who, { now: clock.now() })}`)
      .send({ query, variables });
  const MEMBER = 'id caseId role roleLabel name staffUserId staffUsername addedBy removedAt removedBy removalReason';
  const ADD = `mutation($input: AddAssistanceTeamMemberInput!) { addAssistanceTeamMember(input: $input) { ${MEMBER} } }`;
  const REMOVE = `mutation($input: RemoveAssistanceTeamMemberInput!) { removeAssistanceTeamMember(input: $input) { ${MEMBER} } }`;
  const PLAN = 'id version goals measures { kind kindLabel description } reviewOn recordedBy';
  const SET_PLAN = `mutation($input: SetAssistancePlanInput!) { setAssistancePlan(input: $input) { ${PLAN} } }`;
  const PAGE = `query($id: ID!) { resettlementCase(id: $id) { id team { ${MEMBER} } teamHistory { ${MEMBER} } plan { ${PLAN} } planHistory { ${PLAN} } } }`;
  const OF_PERSON = `query($keys: [_Any!]!) { _entities(representations: $keys) { ... on Person { resettlementCases { id } } } }`;

  const newCase = (status = 'ACTIVE') =>
    svc.dataSource.getRepository(AssistanceCase).save({
      personKey: randomUUID().replace(/-/g, '').padEnd(64, '0'),
      town: '104',
      source: 'PRISON_RELEASE',
      sourceRecordId: randomUUID(),
      startDate: '2027-03-01',
      endDate: '2032-02-29',
      status,
    });
  const count = async (table: string, caseId: string, column = 'case_id') =>
    (await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.${table} WHERE ${column} = $1`, [caseId]))[0].n;
  const stillOn = async (memberId: string) =>
    (await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.assistance_team_members WHERE id = $1 AND removed_at IS NULL`, [memberId]))[0].n === 1;
  const audited = (entityId: string) => svc.db.query<{ action: string; person_key: string | null; outcome: string }>(`SELECT action, person_key, outcome FROM audit.events WHERE entity_id = $1 ORDER BY id`, [entityId]);
  const addWorker = async (caseId: string, who = worker) => {
    const res = await gql(ADD, { input: { caseId, role: 'SOCIAL_WORKER', name: WORKER_NAME, staffUserId: who.sub, staffUsername: who.username } });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.addAssistanceTeamMember as { id: string };
  };

  beforeAll(async () => {
    svc = await bootServiceApp({ name: 'resettlement', appModule: (o) => AppModule.forRoot(o), config: ResettlementConfig, keys, clock, prefix: testRedisPrefix('rs-teams') });
  });
  afterAll(async () => svc?.close());

  it('RS-6: the town office adds and removes team members (帮教小组): labels, audited, the removal kept with who, when and why; names and reasons never stored in clear', async () => {
    const kase = await newCase();
    const fam = await gql(ADD, { input: { caseId: kase.id, role: 'FAMILY', name: FAMILY_NAME } });
    expect(fam.body.errors).toBeUndefined();
    const family = fam.body.data.addAssistanceTeamMember;
    expect(family).toMatchObject({ caseId: kase.id, role: 'FAMILY', roleLabel: '家庭成员', name: FAMILY_NAME, staffUserId: null, addedBy: officer.sub, removedAt: null });
    clock.advance(60_000);
    const sw = await addWorker(kase.id);
    expect(await audited(family.id)).toEqual([{ action: 'resettlement.team.add', person_key: kase.personKey, outcome: 'SUCCESS' }]);

    const removed = await gql(REMOVE, { input: { memberId: family.id, reason: '王秀英已迁居外地' } });
    expect(removed.body.errors).toBeUndefined();
    expect(removed.body.data.removeAssistanceTeamMember).toMatchObject({ id: family.id, removedBy: officer.sub, removalReason: '王秀英已迁居外地' });
    expect(removed.body.data.removeAssistanceTeamMember.removedAt).toBe('2027-05-10T02:01:00.000Z');
    expect((await audited(family.id)).map((a) => a.action)).toEqual(['resettlement.team.add', 'resettlement.team.remove']);

    const again = await gql(REMOVE, { input: { memberId: family.id, reason: '重复' } });
    expect(again.body.errors[0].extensions).toMatchObject({ domainCode: 'ILLEGAL_TRANSITION', field: 'memberId' });
    expect(again.body.errors[0].message).toMatch(/already been removed \/ 该成员已移出/);

    const page = await gql(PAGE, { id: kase.id });
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data.resettlementCase.team.map((m: { id: string }) => m.id)).toEqual([sw.id]);
    expect(page.body.data.resettlementCase.teamHistory.map((m: { id: string; removalReason: string | null }) => [m.id, m.removalReason])).toEqual([
      [family.id, '王秀英已迁居外地'],
      [sw.id, null],
    ]);
    expect(await findClearPii(svc.db.url, { name: FAMILY_NAME })).toEqual([]);
    expect(await findClearPii(svc.db.url, { name: WORKER_NAME })).toEqual([]);
  });

  it('RS-6: a social worker on the team sees the case (resettlementCase, Person.resettlementCases, resettlementCasesOfPerson) and records RS-13 disputes on it, another social worker does not; removing the member ends the assignment and the access', async () => {
    const kase = await newCase();
    const person = { keys: [{ __typename: 'Person', key: kase.personKey }] };
    // Before any team: the social worker's caseload is empty.
    expect((await gql(PAGE, { id: kase.id }, worker)).body.data.resettlementCase).toBeNull();

    const sw = await addWorker(kase.id);
    const [assignment] = await svc.db.query<{ id: string; worker_id: string; subject_id: string; person_key: string; town: string; ended_at: Date | null }>(
      `SELECT id, worker_id, subject_id, person_key, town, ended_at FROM resettlement.case_assignments WHERE subject_id = $1`,
      [kase.id],
    );
    expect(assignment).toMatchObject({ worker_id: worker.sub, subject_id: kase.id, person_key: kase.personKey, town: '104', ended_at: null });

    const mine = await gql(PAGE, { id: kase.id }, worker);
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.resettlementCase).toMatchObject({ id: kase.id, team: [{ id: sw.id, role: 'SOCIAL_WORKER', roleLabel: '社工', staffUserId: worker.sub, staffUsername: 'chenxy' }] });
    const viaPerson = await gql(OF_PERSON, person, worker);
    expect(viaPerson.body.errors).toBeUndefined();
    expect(viaPerson.body.data._entities[0].resettlementCases).toEqual([{ id: kase.id }]);

    const search = `query($personKey: String!) { resettlementCasesOfPerson(personKey: $personKey) { id } }`;
    expect((await gql(search, { personKey: kase.personKey }, worker)).body.data.resettlementCasesOfPerson).toEqual([{ id: kase.id }]);
    expect((await gql(search, { personKey: kase.personKey }, otherWorker)).body.data.resettlementCasesOfPerson).toEqual([]);
    // RS-13 disputes (STAFF_READERS, person scope): the team's social worker now records on its case, the other cannot.
    const DISPUTE = `mutation($input: RecordResettlementDisputeInput!) { recordResettlementDispute(input: $input) { id caseId } }`;
    const dispute = { caseId: kase.id, category: 'FAMILY', occurredOn: '2027-05-09', summary: '家庭矛盾' };
    expect((await gql(DISPUTE, { input: dispute }, worker)).body.data.recordResettlementDispute).toMatchObject({ caseId: kase.id });
    expect((await gql(DISPUTE, { input: dispute }, otherWorker)).body.errors[0].extensions).toMatchObject({ domainCode: 'NOT_FOUND' });
    expect(await count('case_disputes', kase.id)).toBe(1);

    const notMine = await gql(PAGE, { id: kase.id }, otherWorker);
    expect(notMine.body.data.resettlementCase).toBeNull();
    expect((await gql(OF_PERSON, person, otherWorker)).body.data._entities[0].resettlementCases).toEqual([]);

    // The same staff member twice on one team: CONFLICT, nothing more stored.
    const twice = await gql(ADD, { input: { caseId: kase.id, role: 'SOCIAL_WORKER', name: WORKER_NAME, staffUserId: worker.sub } });
    expect(twice.body.errors[0].extensions).toMatchObject({ domainCode: 'CONFLICT', field: 'staffUserId' });
    expect(await count('case_assignments', kase.id, 'subject_id')).toBe(1);

    // A social worker may not change the team (STAFF_WRITERS only).
    const byWorker = await gql(ADD, { input: { caseId: kase.id, role: 'VOLUNTEER', name: '志愿者甲' } }, worker);
    expect(byWorker.body.errors[0].extensions.code).toBe('FORBIDDEN');

    const removed = await gql(REMOVE, { input: { memberId: sw.id, reason: '社工调岗' } });
    expect(removed.body.errors).toBeUndefined();
    const [ended] = await svc.db.query<{ ended_at: Date | null; ended_by: string | null }>(`SELECT ended_at, ended_by FROM resettlement.case_assignments WHERE id = $1`, [assignment.id]);
    expect(ended.ended_by).toBe(officer.sub);
    expect(ended.ended_at).not.toBeNull();
    expect((await gql(PAGE, { id: kase.id }, worker)).body.data.resettlementCase).toBeNull();
    expect((await gql(OF_PERSON, person, worker)).body.data._entities[0].resettlementCases).toEqual([]);

    // Alerts keeps a copy of the caseload: the start and the end each went out as resettlement.assignment.changed, once.
    const changes = await svc.db.query<{ payload: Record<string, unknown> }>(
      `SELECT payload FROM resettlement.bus_outbox WHERE name = 'resettlement.assignment.changed' AND payload->>'assignmentId' = $1 ORDER BY seq`,
      [assignment.id],
    );
    expect(changes.map((c) => c.payload)).toEqual([
      expect.objectContaining({ workerId: worker.sub, subjectId: kase.id, personKey: kase.personKey, town: '104', assignedBy: officer.sub, endedAt: null }),
      expect.objectContaining({ workerId: worker.sub, subjectId: kase.id, endedBy: officer.sub, endedAt: expect.any(String) }),
    ]);
  });

  it('RS-6: each plan save (帮教方案) is a new version: plan is the newest, planHistory all; goals and measures stored encrypted; audited', async () => {
    const kase = await newCase();
    const v1 = await gql(SET_PLAN, { input: { caseId: kase.id, goals: GOALS, measures: [{ kind: 'EMPLOYMENT', description: MEASURE }], reviewOn: '2027-08-10' } });
    expect(v1.body.errors).toBeUndefined();
    expect(v1.body.data.setAssistancePlan).toMatchObject({ version: 1, goals: GOALS, measures: [{ kind: 'EMPLOYMENT', kindLabel: '就业帮扶', description: MEASURE }], reviewOn: '2027-08-10', recordedBy: officer.sub });
    const v2 = await gql(SET_PLAN, {
      input: { caseId: kase.id, goals: '稳定就业', measures: [{ kind: 'PSYCHOLOGICAL', description: '每月心理疏导一次' }, { kind: 'FAMILY', description: '家访' }], reviewOn: '2027-11-10' },
    });
    expect(v2.body.errors).toBeUndefined();
    expect(v2.body.data.setAssistancePlan.version).toBe(2);

    const page = await gql(PAGE, { id: kase.id });
    expect(page.body.errors).toBeUndefined();
    const c = page.body.data.resettlementCase;
    expect(c.plan).toMatchObject({ version: 2, goals: '稳定就业', measures: [{ kind: 'PSYCHOLOGICAL', kindLabel: '心理疏导' }, { kind: 'FAMILY', kindLabel: '家庭关系修复' }] });
    expect(c.planHistory.map((p: { version: number; goals: string }) => [p.version, p.goals])).toEqual([
      [2, '稳定就业'],
      [1, GOALS],
    ]);
    expect((await audited(v1.body.data.setAssistancePlan.id))).toEqual([{ action: 'resettlement.plan.set', person_key: kase.personKey, outcome: 'SUCCESS' }]);
    expect(await findClearPii(svc.db.url, { name: '王秀英', idNumber: '320281199001011234' })).toEqual([]);
    const clear = await svc.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resettlement.assistance_plans WHERE goals_cipher LIKE '%稳定就业%' OR measures_cipher LIKE '%心理疏导%'`);
    expect(clear[0].n).toBe(0);
  });

  it("RS-6: another town's officer gets NOT_FOUND (the denial audited) on the team and the plan, and nothing is stored", async () => {
    const kase = await newCase();
    const add = await gql(ADD, { input: { caseId: kase.id, role: 'VOLUNTEER', name: '志愿者乙' } }, other);
    expect(add.body.errors[0].extensions).toMatchObject({ domainCode: 'NOT_FOUND' });
    expect(add.body.errors[0].message).toMatch(/not found \/ 未找到/);
    const plan = await gql(SET_PLAN, { input: { caseId: kase.id, goals: '目标', measures: [{ kind: 'OTHER', description: '措施' }], reviewOn: '2027-08-10' } }, other);
    expect(plan.body.errors[0].extensions).toMatchObject({ domainCode: 'NOT_FOUND' });
    const member = (await gql(ADD, { input: { caseId: kase.id, role: 'GRID_WORKER', name: '网格员丙' } })).body.data.addAssistanceTeamMember;
    const remove = await gql(REMOVE, { input: { memberId: member.id, reason: '无' } }, other);
    expect(remove.body.errors[0].extensions).toMatchObject({ domainCode: 'NOT_FOUND', field: 'memberId' });
    expect(await count('assistance_team_members', kase.id)).toBe(1);
    expect(await stillOn(member.id)).toBe(true);
    expect(await count('assistance_plans', kase.id)).toBe(0);
    expect((await gql(PAGE, { id: kase.id }, other)).body.data.resettlementCase).toBeNull();
    const denied = await svc.db.query<{ action: string }>(`SELECT action FROM audit.events WHERE entity_id = ANY($1::text[]) AND outcome = 'DENIED' ORDER BY action`, [[kase.id, member.id]]);
    expect(denied.map((d) => d.action)).toEqual(['resettlement.case.read', 'resettlement.plan.set', 'resettlement.team.add', 'resettlement.team.remove']);
  });

  it('RS-6: bad input is a typed bilingual error and stores nothing', async () => {
    const kase = await newCase();
    const blankName = await gql(ADD, { input: { caseId: kase.id, role: 'FAMILY', name: '   ' } });
    expect(blankName.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED', field: 'name' });
    expect(blankName.body.errors[0].message).toMatch(/ \/ 姓名须为1至50个字符/);
    const familyWithAccount = await gql(ADD, { input: { caseId: kase.id, role: 'FAMILY', name: '张三', staffUserId: randomUUID() } });
    expect(familyWithAccount.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED', field: 'staffUserId' });
    const unknownRole = await gql(ADD, { input: { caseId: kase.id, role: 'PRIEST', name: '张三' } });
    expect(unknownRole.body.data ?? null).toBeNull();
    expect(unknownRole.body.errors[0].extensions.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    const longName = await gql(ADD, { input: { caseId: kase.id, role: 'FAMILY', name: '张'.repeat(51) } });
    expect(longName.body.errors[0].extensions.code).toMatch(/BAD_USER_INPUT/);

    const member = (await gql(ADD, { input: { caseId: kase.id, role: 'POLICE_OFFICER', name: '民警丁' } })).body.data.addAssistanceTeamMember;
    const noReason = await gql(REMOVE, { input: { memberId: member.id, reason: ' ' } });
    expect(noReason.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED', field: 'reason' });
    expect(noReason.body.errors[0].message).toMatch(/移出原因/);

    const plan = { caseId: kase.id, goals: '目标', measures: [{ kind: 'HOUSING', description: '租房补贴' }], reviewOn: '2027-08-10' };
    const pastReview = await gql(SET_PLAN, { input: { ...plan, reviewOn: '2027-05-10' } });
    expect(pastReview.body.errors[0].extensions).toMatchObject({ domainCode: 'DATE_INVALID', field: 'reviewOn' });
    expect(pastReview.body.errors[0].message).toMatch(/after today \/ 方案复核日期须晚于今天/);
    const noMeasures = await gql(SET_PLAN, { input: { ...plan, measures: [] } });
    expect(noMeasures.body.errors[0].extensions.code).toMatch(/BAD_USER_INPUT/);
    const blankMeasure = await gql(SET_PLAN, { input: { ...plan, measures: [{ kind: 'HOUSING', description: '  ' }] } });
    expect(blankMeasure.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED', field: 'measures.0.description' });
    const blankGoals = await gql(SET_PLAN, { input: { ...plan, goals: '' } });
    expect(blankGoals.body.errors[0].extensions).toMatchObject({ domainCode: 'VALIDATION_FAILED', field: 'goals' });
    const badKind = await gql(SET_PLAN, { input: { ...plan, measures: [{ kind: 'MAGIC', description: 'x' }] } });
    expect(badKind.body.errors[0].extensions.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);

    const ended = await newCase('ENDED');
    const closed = await gql(SET_PLAN, { input: { ...plan, caseId: ended.id } });
    expect(closed.body.errors[0].extensions).toMatchObject({ domainCode: 'ILLEGAL_TRANSITION' });
    expect(closed.body.errors[0].message).toMatch(/不能制定帮教方案/);
    const closedTeam = await gql(ADD, { input: { caseId: ended.id, role: 'FAMILY', name: '张三' } });
    expect(closedTeam.body.errors[0].extensions).toMatchObject({ domainCode: 'ILLEGAL_TRANSITION' });

    expect(await count('assistance_team_members', kase.id)).toBe(1);
    expect(await stillOn(member.id)).toBe(true);
    expect(await count('assistance_plans', kase.id)).toBe(0);
    expect(await count('assistance_team_members', ended.id)).toBe(0);
    expect(await count('assistance_plans', ended.id)).toBe(0);
    expect(await count('case_assignments', kase.id, 'subject_id')).toBe(0);
  });
});

import { buildClientSchema, getIntrospectionQuery, GraphQLSchema, IntrospectionQuery, parse } from 'graphql';
import { addDays, idNumberCheckChar } from '@homeward/domain';
import { LeakMarkers, Probe, Stack, enrolmentPayload, entityKeysOf, entityProbes, leakedMarkers, rootFieldProbes, startStack } from '@homeward/testing';

/**
 * Issue 12 item 6, "leaks: zero": a SUBJECT (F's own 在矫通 account), a TEAM_MEMBER (on F's team, 协矫通)
 * and a SOCIAL_WORKER (assigned to A) token tried against
 * every root field of the composed supergraph (through the gateway) and every `_entities` type of
 * every subgraph (straight at the subgraph, as a caller who got past the gateway would), with the
 * arguments pointing at records the caller must not reach. The operations are generated from the
 * schemas, so a field added later is tried without touching this file. A leak is a marker (an id, a
 * person key, a masked ID number of those records) in a response's data.
 *
 * Control: the same probes with a CITY_ADMIN token find the markers, so a probe that could not reach
 * a record at all (wrong arguments, a selection the server refuses) does not pass for "no leak".
 */
jest.setTimeout(600_000);

const idOf = (base: string) => `${base}${idNumberCheckChar(base)}`;
const ID_A = idOf('32028119900101123');
const ID_B = idOf('32028119910202123');
const ID_C = idOf('32028119920303123');
const ID_D = idOf('32028119930404123');
const ID_E = idOf('32028119940505123');
const ID_F = idOf('32028119950606123');
const SUBGRAPHS = ['identity', 'community-correction', 'resettlement', 'aftercare', 'alerts'] as const;

interface Outcome {
  probe: string;
  leaked: string[];
}

describe('issue 12 item 6: no SUBJECT, TEAM_MEMBER or SOCIAL_WORKER token reaches what is not its own (generated from the supergraph)', () => {
  let stack: Stack;
  let tokens: Record<'CITY_ADMIN' | 'SOCIAL_WORKER' | 'SUBJECT' | 'TEAM_MEMBER', string>;
  let supergraph: GraphQLSchema;
  let rootProbes: (m: LeakMarkers) => Probe[];
  let subgraphProbes: (m: LeakMarkers) => Array<{ app: string; probe: Probe }>;
  /** Records of persons a social worker of 104 assigned to A must not reach (B of 104, C of 107, D and E). */
  let othersOfWorker: LeakMarkers;
  /** Every record here (the city admin's control reaches them). */
  let everyone: LeakMarkers;
  /** A alone: the worker's own assignment. */
  let assigned: LeakMarkers;
  /** F alone: the SUBJECT's own record, the TEAM_MEMBER's assigned subject. */
  let own: LeakMarkers;

  const post = async (url: string, token: string, body: object, key?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  const gqlAt = async (url: string, token: string, query: string, variables: Record<string, unknown> = {}) =>
    (await (await post(`${url}/graphql`, token, { query, variables })).json()) as { data?: unknown; errors?: Array<{ message: string }> };
  const ok = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const body = await gqlAt(stack.gatewayUrl, token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const schemaAt = async (url: string, token: string) => {
    const body = await gqlAt(url, token, getIntrospectionQuery());
    expect(body.errors).toBeUndefined();
    return buildClientSchema(body.data as IntrospectionQuery);
  };

  /** Runs every probe with `token`: through the gateway for the root fields, at each subgraph for `_entities`. */
  const walk = async (token: string, markers: LeakMarkers): Promise<{ tried: number; leaks: Outcome[] }> => {
    const leaks: Outcome[] = [];
    let tried = 0;
    for (const probe of rootProbes(markers)) {
      const body = await gqlAt(stack.gatewayUrl, token, probe.query, probe.variables);
      tried += 1;
      const leaked = leakedMarkers(body.data, markers);
      if (leaked.length) leaks.push({ probe: probe.name, leaked });
    }
    for (const { app, probe } of subgraphProbes(markers)) {
      const body = await gqlAt(stack.urls[app as keyof Stack['urls']], token, probe.query, probe.variables);
      tried += 1;
      const leaked = leakedMarkers(body.data, markers, probe.echoes);
      if (leaked.length) leaks.push({ probe: `${app} ${probe.name}`, leaked });
    }
    return { tried, leaks };
  };

  beforeAll(async () => {
    stack = await startStack();
    const today = stack.today();
    const court = await stack.partnerToken('COURT');
    const officerUser = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    const officer107User = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    const adminUser = await stack.createUser({ role: 'CITY_ADMIN', towns: [] });
    const workerUser = await stack.createUser({ role: 'SOCIAL_WORKER', towns: ['104'] });
    const officer = await stack.login(officerUser.username, officerUser.password);
    const officer107 = await stack.login(officer107User.username, officer107User.password);
    tokens = {
      CITY_ADMIN: await stack.login(adminUser.username, adminUser.password),
      SOCIAL_WORKER: await stack.login(workerUser.username, workerUser.password),
      SUBJECT: '',
      TEAM_MEMBER: '',
    };

    // Correction: A and B in 104 (the worker is assigned to A), C in 107; B and C lost contact (RED alerts).
    const enrol = async (idNumber: string, name: string, town: string, key: string) => {
      const res = await post(`${stack.gatewayUrl}/api/v1/correction/enrolments`, court, enrolmentPayload({ idNumber, name, town, on: today, until: addDays(today, 365) }, { judgmentDocumentNo: `(2026)苏0281刑初${key}号` }), key);
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const activate = async (token: string, subjectId: string) => {
      await ok(token, `mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { id } }`, { i: { subjectId, reportedOn: today } });
      await ok(token, `mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { id } }`, {
        i: { subjectId, items: ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'], doneOn: today },
      });
      await ok(token, `mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { id } }`, { i: { subjectId, on: today } });
      await ok(token, `mutation($i: MarkAbscondedInput!) { markAbsconded(input: $i) { id } }`, { i: { subjectId, lostContactOn: today } });
    };
    const a = await enrol(ID_A, '甲某', '104', 'LEAK-A');
    const b = await enrol(ID_B, '乙某', '104', 'LEAK-B');
    const c = await enrol(ID_C, '丙某', '107', 'LEAK-C');
    await activate(officer, b);
    await activate(officer107, c);
    const workerId = (await ok(tokens.SOCIAL_WORKER, `{ me { id } }`)).me.id as string;
    await ok(officer, `mutation($i: AssignSocialWorkerInput!) { assignSocialWorker(input: $i) { id } }`, { i: { subjectId: a, workerId } });
    // Issue 12: F (104, ACTIVE, in no marker list the city admin's control walk changes) has its own 在矫通
    // account, and a grid worker on F's team a 协矫通 account, both activated through the gateway.
    const f = await enrol(ID_F, '己某', '104', 'LEAK-F');
    await ok(officer, `mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { id } }`, { i: { subjectId: f, reportedOn: today } });
    await ok(officer, `mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { id } }`, {
      i: { subjectId: f, items: ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'], doneOn: today },
    });
    await ok(officer, `mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { id } }`, { i: { subjectId: f, on: today } });
    const act = (await ok(officer, `mutation($s: ID!) { issueSubjectAppActivation(subjectId: $s) { code } }`, { s: f })).issueSubjectAppActivation;
    tokens.SUBJECT = (await stack.activateApp(act.code)).token;
    const member = (await ok(officer, `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { id } }`, { i: { subjectId: f, role: 'GRID_WORKER', name: '网格员甲', gender: 'MALE' } })).addTeamMember;
    const invite = (await ok(officer, `mutation($i: InviteTeamMemberInput!) { inviteTeamMember(input: $i) { code } }`, { i: { teamMemberId: member.id } })).inviteTeamMember;
    tokens.TEAM_MEMBER = (await stack.activateApp(invite.code)).token;

    // Resettlement: a prison's notice for D of 104; aftercare: a rehab centre's notice for E of 104.
    const notice = await post(`${stack.gatewayUrl}/api/v1/resettlement/pre-release-notices`, await stack.partnerToken('PRISON'), {
      person: { idNumber: ID_D, name: '丁某', residenceTown: '104', residenceAddress: '徐霞客镇璜塘村1号' },
      prisonerNo: 'LEAK-P-1',
      expectedReleaseDate: addDays(today, 20),
      offence: '盗窃罪',
      sentence: '有期徒刑二年',
      conductInPrison: '一般',
      keyCategories: [],
    }, 'LEAK-N-D');
    expect(notice.status).toBe(201);
    const noticeId = ((await notice.json()) as { id: string }).id;
    const release = await post(`${stack.gatewayUrl}/api/v1/aftercare/release-notices`, await stack.partnerToken('REHAB_CENTRE'), {
      notices: [{ person: { idNumber: ID_E, name: '戊某', residenceTown: '104', residenceAddress: '徐霞客镇马镇村2号' }, centreRecordNo: 'LEAK-WX-1', releaseDate: addDays(today, 2), keyPerson: false, communityRehabilitation: false }],
    }, 'LEAK-N-E');
    expect(release.status).toBe(207);

    // What the records are called, read as the city admin: ids, person keys, masked ID numbers, alert ids.
    const subject = async (id: string) => (await ok(tokens.CITY_ADMIN, `query($id: ID!) { correctionSubject(id: $id) { id person { key maskedIdNumber } } }`, { id })).correctionSubject;
    const [sa, sb, sc, sf] = [await subject(a), await subject(b), await subject(c), await subject(f)];
    const resettlement = [(await ok(officer, `query($id: ID!) { preReleaseNotice(id: $id) { id person { key } maskedIdNumber } }`, { id: noticeId })).preReleaseNotice];
    const aftercare = (await ok(officer, `{ aftercareToContact(first: 10) { edges { node { id person { key } } } } }`)).aftercareToContact.edges.map((e: { node: { id: string; person: { key: string } } }) => e.node);
    let alertIds: string[] = [];
    for (let i = 0; i < 60 && alertIds.length < 2; i += 1) {
      alertIds = (await ok(tokens.CITY_ADMIN, `{ alerts(first: 20) { edges { node { id rule } } } }`)).alerts.edges.filter((e: { node: { rule: string } }) => e.node.rule === 'CC-2.LOST_CONTACT').map((e: { node: { id: string } }) => e.node.id);
      if (alertIds.length < 2) await new Promise((r) => setTimeout(r, 500));
    }
    expect(alertIds).toHaveLength(2);
    expect(resettlement.length).toBeGreaterThanOrEqual(1);
    expect(aftercare.length).toBeGreaterThanOrEqual(1);

    const base = { town: '104', search: '乙某', idNumber: ID_B, today };
    othersOfWorker = {
      ...base,
      ids: [sb.id, sc.id, ...resettlement.map((r: { id: string }) => r.id), ...aftercare.map((r: { id: string }) => r.id), ...alertIds],
      personKeys: [sb.person.key, sc.person.key, ...resettlement.map((r: { person: { key: string } }) => r.person.key), ...aftercare.map((r: { person: { key: string } }) => r.person.key)],
      secrets: [sb.person.maskedIdNumber, sc.person.maskedIdNumber, resettlement[0].maskedIdNumber, ID_B, ID_C, ID_D, ID_E],
    };
    assigned = { ...base, search: '甲某', idNumber: ID_A, ids: [sa.id], personKeys: [sa.person.key], secrets: [sa.person.maskedIdNumber] };
    own = { ...base, search: '己某', idNumber: ID_F, ids: [sf.id], personKeys: [sf.person.key], secrets: [sf.person.maskedIdNumber, ID_F] };
    everyone = {
      ...othersOfWorker,
      ids: [sa.id, ...othersOfWorker.ids],
      personKeys: [sa.person.key, ...othersOfWorker.personKeys],
      secrets: [sa.person.maskedIdNumber, ID_A, ...othersOfWorker.secrets],
    };

    supergraph = await schemaAt(stack.gatewayUrl, tokens.CITY_ADMIN);
    rootProbes = (m) => rootFieldProbes(supergraph, m);
    const perSubgraph: Array<{ app: string; schema: GraphQLSchema; keys: Record<string, string[]> }> = [];
    for (const app of SUBGRAPHS) {
      const url = stack.urls[app];
      const sdl = ((await gqlAt(url, tokens.CITY_ADMIN, `{ _service { sdl } }`)).data as { _service: { sdl: string } })._service.sdl;
      perSubgraph.push({ app, schema: await schemaAt(url, tokens.CITY_ADMIN), keys: entityKeysOf(parse(sdl)) });
    }
    subgraphProbes = (m) => perSubgraph.flatMap(({ app, schema, keys }) => entityProbes(schema, keys, m).map((probe) => ({ app, probe })));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('control: the same generated probes with a CITY_ADMIN token do reach the records (so the probes can find a leak)', async () => {
    const { tried, leaks } = await walk(tokens.CITY_ADMIN, everyone);
    process.stdout.write(`[leaks] CITY_ADMIN (control): ${tried} operations tried, ${leaks.length} reached a marker\n`);
    const reached = new Set(leaks.map((l) => l.probe.replace(/#\d+$/, '')));
    // Root fields of every workstream and the subgraphs' entity references.
    for (const expected of ['Query.correctionSubject', 'Query.alerts', 'Query.preReleaseNotice']) expect(reached).toContain(expected);
    expect([...reached].some((p) => p.includes('_entities(Person)'))).toBe(true);
    expect(leaks.length).toBeGreaterThanOrEqual(10);
  });

  it.each(['SUBJECT', 'TEAM_MEMBER'] as const)('issue 12: a %s token of F (its own record / its assigned subject) reaches nothing of A, B (same town), C (another town), D or E: 0 leaks', async (role) => {
    const { tried, leaks } = await walk(tokens[role], everyone);
    process.stdout.write(`[leaks] ${role}: ${tried} operations tried, ${leaks.length} leaks\n`);
    expect(tried).toBeGreaterThan(200);
    expect(leaks).toEqual([]);
  });

  it.each([
    ['SUBJECT', 'Query.myCorrection'],
    ['TEAM_MEMBER', 'Query.myAssignedSubjects'],
  ] as const)('control for %s: the probes do reach F (%s), yet never its ID number (clear or masked) nor its person key', async (role, field) => {
    const { tried, leaks } = await walk(tokens[role], own);
    const reached = leaks.map((l) => l.probe.replace(/#\d+$/, ''));
    process.stdout.write(`[leaks] ${role} on its own record (control): ${tried} operations tried, ${leaks.length} reached F\n`);
    expect(reached).toContain(field);
    const beyondTheId = leaks.flatMap((l) => l.leaked.filter((v) => v !== own.ids[0]).map((v) => `${l.probe}: ${v}`));
    expect(beyondTheId).toEqual([]);
  });

  it("a SOCIAL_WORKER token assigned to A reaches nothing of B (same town), C (another town), D or E: 0 leaks", async () => {
    const { tried, leaks } = await walk(tokens.SOCIAL_WORKER, othersOfWorker);
    process.stdout.write(`[leaks] SOCIAL_WORKER: ${tried} operations tried, ${leaks.length} leaks\n`);
    expect(tried).toBeGreaterThan(200);
    expect(leaks).toEqual([]);
  });

  it('control for the worker: the same probes do reach A, its own assignment (so its 0 is not everything refused)', async () => {
    const { tried, leaks } = await walk(tokens.SOCIAL_WORKER, assigned);
    process.stdout.write(`[leaks] SOCIAL_WORKER on its own assignment (control): ${tried} operations tried, ${leaks.length} reached A\n`);
    expect(leaks.map((l) => l.probe.replace(/#\d+$/, ''))).toContain('Query.correctionSubject');
  });
});

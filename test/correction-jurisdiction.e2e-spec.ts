import { addDays, idNumberCheckChar, localDateInShanghai } from '@homeward/domain';
import { Stack, startStack } from '@homeward/testing';

/**
 * Issue 3 "Done when": a town officer of 107 (华士镇) cannot read, change or export a subject of
 * 104 (徐霞客镇) through the gateway: null / empty on queries, NOT_FOUND on every mutation, and
 * the record is left as it was. The 104 officer, asking the same things, gets the record — so the
 * refusals come from the town filter, not from a broken query.
 */
jest.setTimeout(360_000);

const ID_NUMBER = `32028119900707031${idNumberCheckChar('32028119900707031')}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; path?: (string | number)[]; extensions?: { code?: string } }> };

describe('jurisdiction: an officer of 107 cannot read, change or export a subject of 104', () => {
  let stack: Stack;
  let officer104: string;
  let officer107: string;
  let subjectId: string;
  let personKey: string;
  const today = localDateInShanghai(new Date());

  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> =>
    (await stack.graphql(token, query, variables)) as Body;
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  beforeAll(async () => {
    stack = await startStack();
    const court = await stack.partnerToken('COURT');
    const u104 = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    const u107 = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    officer104 = await stack.login(u104.username, u104.password);
    officer107 = await stack.login(u107.username, u107.password);

    const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/enrolments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${court}`, 'idempotency-key': 'E2E-JUR-1' },
      body: JSON.stringify({
        person: { idNumber: ID_NUMBER, name: '钱某', residenceTown: '104' },
        sentenceType: 'PROBATION',
        judgmentDocumentNo: '(2026)苏0281刑初777号',
        judgmentEffectiveDate: today,
        correctionStartDate: today,
        correctionEndDate: addDays(today, 365),
        offence: '盗窃罪',
        decidingAuthority: '江阴市人民法院',
      }),
    });
    expect(res.status).toBe(201);
    subjectId = ((await res.json()) as { id: string }).id;
    const data = await ok(officer104, `query($id: ID!) { correctionSubject(id: $id) { person { key } } }`, { id: subjectId });
    personKey = data.correctionSubject.person.key;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const SUBJECT_FIELDS = `id name status town { code } person { key maskedIdNumber } intakeChecklist { item done } documents { id } plan { id } team { id }`;

  it('reads: the subject by id is null for 107 (and the record for 104)', async () => {
    const query = `query($id: ID!) { correctionSubject(id: $id) { ${SUBJECT_FIELDS} } }`;
    const mine = await ok(officer104, query, { id: subjectId });
    expect(mine.correctionSubject).toMatchObject({ id: subjectId, name: '钱某', town: { code: '104' } });

    const other = await gql(officer107, query, { id: subjectId });
    expect(other.errors).toBeUndefined();
    expect(other.data.correctionSubject).toBeNull();
    expect(JSON.stringify(other)).not.toMatch(/钱某|0707/);
  });

  it('reads: lists are empty for 107, also when it asks for town 104 by name', async () => {
    const list = `query($town: String) { correctionSubjects(town: $town, first: 50) { totalCount edges { node { id } } } }`;
    expect((await ok(officer104, list, {})).correctionSubjects.totalCount).toBe(1);
    for (const town of [undefined, '104']) {
      const body = await gql(officer107, list, { town });
      if (body.errors) {
        expect(body.errors[0].extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
      } else {
        expect(body.data.correctionSubjects).toEqual({ totalCount: 0, edges: [] });
      }
    }
    const leaves = await ok(officer107, `query($s: ID) { leaves(subjectId: $s) { totalCount } }`, { s: subjectId });
    expect(leaves.leaves.totalCount).toBe(0);
  });

  it('reads: the person reached through the federated Person entity shows 107 no correction case', async () => {
    const res = await fetch(`${stack.urls['community-correction']}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${officer107}` },
      body: JSON.stringify({
        query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { maskedIdNumber correctionCases { id } } } }`,
        variables: { r: [{ __typename: 'Person', key: personKey }] },
      }),
    });
    const body = (await res.json()) as Body;
    expect(body.errors).toBeUndefined();
    expect(body.data._entities).toEqual([{ maskedIdNumber: null, correctionCases: [] }]);
  });

  it.each([
    ['recordReportIn', `mutation($s: ID!, $d: String!) { recordReportIn(input: { subjectId: $s, reportedOn: $d }) { id } }`],
    [
      'tickIntakeItems',
      `mutation($s: ID!, $d: String!) { tickIntakeItems(input: { subjectId: $s, items: [DOCUMENTS_CHECKED, IDENTITY_VERIFIED], doneOn: $d }) { id } }`,
    ],
    ['saveCorrectionPlan', `mutation($s: ID!) { saveCorrectionPlan(input: { subjectId: $s, content: "他镇的方案" }) { id } }`],
    ['addTeamMember', `mutation($s: ID!) { addTeamMember(input: { subjectId: $s, role: VOLUNTEER, name: "他镇志愿者", gender: MALE }) { id } }`],
    ['approveCorrectionPlan', `mutation($s: ID!) { approveCorrectionPlan(subjectId: $s) { id } }`],
    ['activateSubject', `mutation($s: ID!, $d: String!) { activateSubject(input: { subjectId: $s, on: $d }) { id } }`],
    ['markAbsconded', `mutation($s: ID!, $d: String!) { markAbsconded(input: { subjectId: $s, lostContactOn: $d }) { id } }`],
    ['dischargeSubject', `mutation($s: ID!, $d: String!) { dischargeSubject(input: { subjectId: $s, reason: PARDONED, on: $d }) { id } }`],
    ['terminateSubject', `mutation($s: ID!, $d: String!) { terminateSubject(input: { subjectId: $s, reason: DECEASED, on: $d }) { id } }`],
    ['recordCheckIn', `mutation($s: ID!, $at: DateTime!) { recordCheckIn(input: { subjectId: $s, channel: PHONE_VOICE, at: $at }) { id } }`],
    ['recordSanction', `mutation($s: ID!, $d: String!) { recordSanction(input: { subjectId: $s, kind: ADMONITION, decidedOn: $d, reason: "他镇", decidedBy: "他镇" }) { id } }`],
    [
      'setSupervisionLevel',
      `mutation($s: ID!) { setSupervisionLevel(input: { subjectId: $s, level: STRICT, reason: "他镇" }) { id } }`,
    ],
    [
      'requestLeave',
      `mutation($s: ID!, $d: String!) { requestLeave(input: { subjectId: $s, kind: LEAVE, destination: "无锡", reason: "他镇", startDate: $d, endDate: $d }) { id } }`,
    ],
  ])('changes: %s on a 104 subject by a 107 officer → NOT_FOUND', async (_name, mutation) => {
    const vars = { s: subjectId, d: today, at: new Date(Date.now() - 60_000).toISOString() };
    const body = await gql(officer107, mutation, vars);
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(body.data?.[_name] ?? null).toBeNull();
    expect(JSON.stringify(body)).not.toMatch(/钱某|0707/);
  });

  it('changes: after every refused mutation the 104 record is exactly as enrolled', async () => {
    const data = await ok(
      officer104,
      `query($id: ID!) { correctionSubject(id: $id) { status reportedOn absconded intakeChecklist { done } plan { id } team { id } sanctions { id } checkIns { totalCount } } }`,
      { id: subjectId },
    );
    expect(data.correctionSubject).toMatchObject({ status: 'PENDING_REPORT', reportedOn: null, absconded: false, plan: null, team: [], sanctions: [], checkIns: { totalCount: 0 } });
    expect(data.correctionSubject.intakeChecklist.every((e: { done: boolean }) => !e.done)).toBe(true);
  });
});

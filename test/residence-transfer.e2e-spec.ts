import { addDays, idNumberCheckChar } from '@homeward/domain';
import { Stack, eventually, startStack } from '@homeward/testing';

/**
 * CC-13 (issue 7 item 9) through the gateway, the whole stack: a subject of 104 (徐霞客镇) with an open
 * lost-contact alert moves to 107 (华士镇) when the county bureau approves a change of residence dated
 * today. Afterwards the 104 officer gets null / NOT_FOUND for the subject and no longer sees its alert;
 * the 107 officer has both (the alert moved in the alerts service, through the bus).
 */
jest.setTimeout(360_000);

const ID_NUMBER = `32028119880808031${idNumberCheckChar('32028119880808031')}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };

describe('CC-13: a change of residence moves the case and its alerts to the new town (through the gateway)', () => {
  let stack: Stack;
  let officer104: string;
  let officer107: string;
  let bureau: string;
  let subjectId: string;
  let personKey: string;
  let today: string;

  const gql = async (token: string, query: string, variables?: Record<string, unknown>): Promise<Body> => (await stack.graphql(token, query, variables)) as Body;
  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(token, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const SUBJECT = `query($id: ID!) { correctionSubject(id: $id) { id status town { code } } }`;
  const ALERTS = `{ alerts(first: 50) { edges { node { rule town { code } person { key } } } } }`;
  const alertKeys = async (token: string): Promise<string[]> =>
    (await ok(token, ALERTS)).alerts.edges.filter((e: { node: { rule: string } }) => e.node.rule === 'CC-2.LOST_CONTACT').map((e: { node: { person: { key: string } } }) => e.node.person.key);

  beforeAll(async () => {
    stack = await startStack();
    today = stack.today();
    const court = await stack.partnerToken('COURT');
    const u104 = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    const u107 = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['107'] });
    const admin = await stack.createUser({ role: 'CITY_ADMIN' });
    officer104 = await stack.login(u104.username, u104.password);
    officer107 = await stack.login(u107.username, u107.password);
    bureau = await stack.login(admin.username, admin.password);

    const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/enrolments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${court}`, 'idempotency-key': 'E2E-CC13-1' },
      body: JSON.stringify({
        person: { idNumber: ID_NUMBER, name: '孙某', residenceTown: '104' },
        sentenceType: 'PROBATION',
        judgmentDocumentNo: '(2026)苏0281刑初913号',
        judgmentEffectiveDate: today,
        correctionStartDate: today,
        correctionEndDate: addDays(today, 365),
        offence: '盗窃罪',
        decidingAuthority: '江阴市人民法院',
      }),
    });
    expect(res.status).toBe(201);
    subjectId = ((await res.json()) as { id: string }).id;
    await ok(officer104, `mutation($i: RecordReportInInput!) { recordReportIn(input: $i) { id } }`, { i: { subjectId, reportedOn: today } });
    await ok(officer104, `mutation($i: TickIntakeItemsInput!) { tickIntakeItems(input: $i) { id } }`, {
      i: { subjectId, items: ['DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE'], doneOn: today },
    });
    await ok(officer104, `mutation($i: ActivateSubjectInput!) { activateSubject(input: $i) { id } }`, { i: { subjectId, on: today } });
    await ok(officer104, `mutation($i: MarkAbscondedInput!) { markAbsconded(input: $i) { id } }`, { i: { subjectId, lostContactOn: today } });
    personKey = (await ok(officer104, `query($id: ID!) { correctionSubject(id: $id) { person { key } } }`, { id: subjectId })).correctionSubject.person.key;
    await eventually(() => alertKeys(officer104), (keys) => keys.includes(personKey), { timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('CC-13: the bureau approves the change to 107; from today the case and its open alert are 107\'s, not 104\'s', async () => {
    const req = await ok(officer104, `mutation($input: RequestLeaveInput!) { requestLeave(input: $input) { id approvalLevel toTown { code } } }`, {
      input: { subjectId, kind: 'RESIDENCE_CHANGE', toTown: '107', destination: '华士镇新住所', reason: '随家人迁居', startDate: today, endDate: today },
    });
    expect(req.requestLeave).toMatchObject({ approvalLevel: 'COUNTY_BUREAU', toTown: { code: '107' } });
    const refused = await gql(officer104, `mutation($input: DecideLeaveInput!) { approveLeave(input: $input) { status } }`, { input: { leaveId: req.requestLeave.id } });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await ok(bureau, `mutation($input: DecideLeaveInput!) { approveLeave(input: $input) { status } }`, { input: { leaveId: req.requestLeave.id } });

    expect((await ok(officer107, SUBJECT, { id: subjectId })).correctionSubject).toMatchObject({ status: 'ACTIVE', town: { code: '107' } });
    expect((await ok(officer104, SUBJECT, { id: subjectId })).correctionSubject).toBeNull();
    const change = await gql(officer104, `mutation($i: MarkAbscondedInput!) { markAbsconded(input: $i) { id } }`, { i: { subjectId, lostContactOn: today } });
    expect(change.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    await eventually(() => alertKeys(officer107), (keys) => keys.includes(personKey), { timeoutMs: 30_000 });
    expect(await alertKeys(officer104)).not.toContain(personKey);
  });
});

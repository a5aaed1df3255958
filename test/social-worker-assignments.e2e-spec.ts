import { addDays, idNumberCheckChar } from '@homeward/domain';
import { Stack, startStack, enrolmentPayload } from '@homeward/testing';

/**
 * Issue 6 item 7 through the gateway: a social worker of 104 assigned to subject A sees A and not
 * B of the same town (list, single, search, caseload); once the officer ends the
 * assignment it sees neither. Also item 15: the partner clients the CLI creates carry the scopes of
 * their kind, so enrolment through the gateway still works with scopes checked.
 */
jest.setTimeout(360_000);

const ID_A = `32028119900707031${idNumberCheckChar('32028119900707031')}`;
const ID_B = `32028119910808032${idNumberCheckChar('32028119910808032')}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = { data: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };

describe('issue 6 item 7: social worker assignments through the gateway', () => {
  let stack: Stack;
  let officer: string;
  let worker: string;
  let workerId: string;
  let a: string;
  let b: string;

  const ok = async (token: string, query: string, variables?: Record<string, unknown>) => {
    const body = (await stack.graphql(token, query, variables)) as Body;
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  const ids = (conn: { edges: Array<{ node: { id: string } }> }) => conn.edges.map((e) => e.node.id).sort();

  beforeAll(async () => {
    stack = await startStack();
    const today = stack.today();
    const court = await stack.partnerToken('COURT');
    const u = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    const w = await stack.createUser({ role: 'SOCIAL_WORKER', towns: ['104'] });
    officer = await stack.login(u.username, u.password);
    worker = await stack.login(w.username, w.password);
    workerId = (await ok(worker, `{ me { id } }`)).me.id;
    const enrol = async (idNumber: string, name: string, key: string): Promise<string> => {
      const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/enrolments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${court}`, 'idempotency-key': key },
        body: JSON.stringify(enrolmentPayload({ idNumber, name, on: today, until: addDays(today, 365) }, { judgmentDocumentNo: `(2026)苏0281刑初${key}号` })),
      });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    a = await enrol(ID_A, '甲某', 'E2E-SW-A');
    b = await enrol(ID_B, '乙某', 'E2E-SW-B');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const LIST = `{ correctionSubjects(first: 20) { edges { node { id } } } }`;
  const ONE = `query($id: ID!) { correctionSubject(id: $id) { id } }`;
  const SEARCH = `query($q: String!) { searchSubjects(query: $q) { edges { node { id } } } }`;
  const CASELOAD = `{ caseload(first: 20) { edges { node { id } } } }`;

  it('issue 6 item 7: assigned to A the worker sees only A; after the assignment ends, neither', async () => {
    expect(ids((await ok(officer, LIST)).correctionSubjects)).toEqual([a, b].sort());
    const assignment = (
      await ok(officer, `mutation($i: AssignSocialWorkerInput!) { assignSocialWorker(input: $i) { id active } }`, { i: { subjectId: a, workerId } })
    ).assignSocialWorker;
    expect(assignment.active).toBe(true);

    expect(ids((await ok(worker, LIST)).correctionSubjects)).toEqual([a]);
    expect((await ok(worker, ONE, { id: a })).correctionSubject).toEqual({ id: a });
    expect((await ok(worker, ONE, { id: b })).correctionSubject).toBeNull();
    expect(ids((await ok(worker, SEARCH, { q: ID_A })).searchSubjects)).toEqual([a]);
    expect(ids((await ok(worker, SEARCH, { q: ID_B })).searchSubjects)).toEqual([]);
    expect(ids((await ok(worker, CASELOAD)).caseload)).toEqual([a]);

    await ok(officer, `mutation($id: ID!) { endSocialWorkerAssignment(assignmentId: $id) { active } }`, { id: assignment.id });
    expect(ids((await ok(worker, LIST)).correctionSubjects)).toEqual([]);
    expect((await ok(worker, ONE, { id: a })).correctionSubject).toBeNull();
    expect(ids((await ok(worker, SEARCH, { q: ID_A })).searchSubjects)).toEqual([]);
    expect(ids((await ok(worker, CASELOAD)).caseload)).toEqual([]);
  });
});

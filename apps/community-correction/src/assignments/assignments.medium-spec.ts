import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(90_000);

const ID_A = '11010519491231002X';
const ID_B = '320281198506151237';

const LIST = `{ correctionSubjects(first: 50) { totalCount edges { node { id } } } }`;
const ONE = `query($id: ID!) { correctionSubject(id: $id) { id } }`;
const SEARCH = `query($q: String!) { searchSubjects(query: $q) { totalCount edges { node { id } } } }`;
const CASELOAD = `{ caseload(first: 50) { totalCount edges { node { id } } } }`;
const DUE_TODAY = `{ dueToday { kind subjectId } }`;
const PERSON = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { key maskedIdNumber correctionCases { id } } } }`;
const MASKED = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { key maskedIdNumber } } }`;
const ASSIGN = `mutation($input: AssignSocialWorkerInput!) { assignSocialWorker(input: $input) { id subjectId workerId active } }`;
const END = `mutation($id: ID!) { endSocialWorkerAssignment(assignmentId: $id) { id active endedAt endedBy } }`;
const HISTORY = `query($id: ID!) { correctionSubject(id: $id) { socialWorkerAssignments { id workerId assignedBy endedBy active } } }`;

describe('issue 6 item 7: social workers see only the subjects assigned to them (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z')); // 2026-11-20 in Shanghai
  const mint = (p: Parameters<TestKeys['mint']>[0]) => keys.mint(p, { expiresInSeconds: 30 * 86_400, now: clock.now() });
  const officerPrincipal = staffPrincipal({ towns: ['104'] });
  const officer = mint(officerPrincipal);
  const workerId = randomUUID();
  const worker = mint(staffPrincipal({ sub: workerId, roles: [Role.SOCIAL_WORKER], towns: ['104'], username: 'worker' }));
  const court = mint(partnerPrincipal(AgencyKind.COURT));

  const gql = async (token: string, query: string, variables: Record<string, unknown> = {}) => {
    const res = await request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables }).expect(200);
    return res.body as { data?: Record<string, any>; errors?: Array<{ extensions?: { code?: string } }> };
  };
  const ids = (conn: { edges: Array<{ node: { id: string } }> }) => conn.edges.map((e) => e.node.id).sort();
  const enrol = async (idNumber: string, name: string, key: string): Promise<string> =>
    (
      await request(app.getHttpServer())
        .post('/api/v1/correction/enrolments')
        .set('authorization', `Bearer ${court}`)
        .set('idempotency-key', key)
        // Effective 11-10: reports by 11-20, due today.
        .send(enrolmentPayload({ idNumber, name, on: '2026-11-10' }, { judgmentDocumentNo: `(2026)苏0281刑初${key}号` }))
        .expect(201)
    ).body.id;

  let a: string;
  let b: string;
  let keyA: string;
  let keyB: string;

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc-assign', clock, keys });
    ({ app, dataSource: ds } = svc);
    a = await enrol(ID_A, '甲某', 'A1');
    b = await enrol(ID_B, '乙某', 'B1');
    const rows: Array<{ id: string; person_key: string }> = await ds.query(`SELECT id, person_key FROM correction.subjects`);
    keyA = rows.find((r) => r.id === a)!.person_key;
    keyB = rows.find((r) => r.id === b)!.person_key;
  });
  afterAll(async () => svc?.close());

  it('issue 6 item 7: an unassigned social worker sees no subject of its town, a town officer sees both', async () => {
    expect(ids((await gql(officer, LIST)).data!.correctionSubjects)).toEqual([a, b].sort());
    expect((await gql(worker, LIST)).data!.correctionSubjects.totalCount).toBe(0);
    expect((await gql(worker, ONE, { id: a })).data!.correctionSubject).toBeNull();
  });

  it('issue 6 item 7: assigned to A, the worker sees A but not B (list, single, search, caseload, due today, Person), until the assignment ends', async () => {
    const assigned = (await gql(officer, ASSIGN, { input: { subjectId: a, workerId } })).data!.assignSocialWorker;
    expect(assigned).toMatchObject({ subjectId: a, workerId, active: true });

    expect(ids((await gql(worker, LIST)).data!.correctionSubjects)).toEqual([a]);
    expect((await gql(worker, ONE, { id: a })).data!.correctionSubject).toEqual({ id: a });
    expect((await gql(worker, ONE, { id: b })).data!.correctionSubject).toBeNull();
    expect(ids((await gql(worker, SEARCH, { q: ID_A })).data!.searchSubjects)).toEqual([a]);
    expect((await gql(worker, SEARCH, { q: ID_B })).data!.searchSubjects.totalCount).toBe(0);
    expect(ids((await gql(worker, CASELOAD)).data!.caseload)).toEqual([a]);
    const due = (await gql(worker, DUE_TODAY)).data!.dueToday as Array<{ subjectId: string }>;
    expect(due.map((d) => d.subjectId)).toEqual([a]);
    expect(((await gql(officer, DUE_TODAY)).data!.dueToday as Array<{ subjectId: string }>).map((d) => d.subjectId).sort()).toEqual([a, b].sort());
    const people = (await gql(worker, PERSON, { reps: [{ __typename: 'Person', key: keyA }, { __typename: 'Person', key: keyB }] })).data!._entities;
    expect(people[0].correctionCases.map((c: { id: string }) => c.id)).toEqual([a]);
    expect(people[1]).toMatchObject({ maskedIdNumber: null, correctionCases: [] });

    const endRes = await gql(officer, END, { id: assigned.id });
    expect(endRes.errors).toBeUndefined();
    const ended = endRes.data!.endSocialWorkerAssignment;
    expect(ended).toMatchObject({ id: assigned.id, active: false, endedBy: officerPrincipal.sub });
    expect((await gql(worker, LIST)).data!.correctionSubjects.totalCount).toBe(0);
    expect((await gql(worker, ONE, { id: a })).data!.correctionSubject).toBeNull();
    expect((await gql(worker, SEARCH, { q: ID_A })).data!.searchSubjects.totalCount).toBe(0);
    expect((await gql(worker, CASELOAD)).data!.caseload.totalCount).toBe(0);
    expect((await gql(worker, DUE_TODAY)).data!.dueToday).toEqual([]);

    // History is kept (who, by whom, ended by whom), and both changes are audited.
    const history = (await gql(officer, HISTORY, { id: a })).data!.correctionSubject.socialWorkerAssignments;
    expect(history).toEqual([{ id: assigned.id, workerId, assignedBy: officerPrincipal.sub, endedBy: officerPrincipal.sub, active: false }]);
    const audit: Array<{ action: string; person_key: string }> = await svc.db.query(
      `SELECT action, person_key FROM audit.events WHERE entity_id = $1 ORDER BY id`,
      [assigned.id],
    );
    expect(audit).toEqual([
      { action: 'correction.assignment.start', person_key: keyA },
      { action: 'correction.assignment.end', person_key: keyA },
    ]);
    // Alerts keeps a copy: both changes are published through the outbox, the whole row each time.
    const published: Array<{ payload: { assignmentId: string; personKey: string; endedBy: string | null } }> = await ds.query(
      `SELECT payload FROM correction.bus_outbox WHERE name = 'correction.assignment.changed' ORDER BY payload->>'endedBy' NULLS FIRST`,
    );
    expect(published.map((r) => [r.payload.assignmentId, r.payload.personKey, r.payload.endedBy])).toEqual([
      [assigned.id, keyA, null],
      [assigned.id, keyA, officerPrincipal.sub],
    ]);
  });

  it('issue 6 item 7: only officers assign; another town\'s officer cannot assign to this subject', async () => {
    const res = await gql(worker, ASSIGN, { input: { subjectId: a, workerId } });
    expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const other = await gql(mint(staffPrincipal({ towns: ['107'] })), ASSIGN, { input: { subjectId: a, workerId } });
    expect(other.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it.each([Role.TEAM_MEMBER, Role.SUBJECT])('issue 6 item 7: a %s token gets nothing of a person from the correction subgraph', async (role) => {
    const token = mint(staffPrincipal({ roles: [role], towns: ['104'] }));
    const people = (await gql(token, MASKED, { reps: [{ __typename: 'Person', key: keyA }] })).data!._entities;
    expect(people).toEqual([{ key: keyA, maskedIdNumber: null }]);
    const list = await gql(token, LIST);
    expect(list.data?.correctionSubjects ?? null).toBeNull();
  });

  it('issue 6 item 15: a TOWN_OFFICER token with towns ["*"] sees no town at all (only CITY_ADMIN spans all towns)', async () => {
    const star = mint(staffPrincipal({ towns: ['*'] }));
    expect((await gql(star, LIST)).data!.correctionSubjects.totalCount).toBe(0);
    expect((await gql(star, ONE, { id: a })).data!.correctionSubject).toBeNull();
    expect((await gql(star, CASELOAD)).data!.caseload.totalCount).toBe(0);
    const admin = mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }));
    expect((await gql(admin, LIST)).data!.correctionSubjects.totalCount).toBe(2);
  });

  it('issue 6 item 11: the audit row of a list read names the person keys it returned', async () => {
    const reader = staffPrincipal({ towns: ['104'] });
    await gql(mint(reader), LIST);
    await gql(mint(reader), CASELOAD);
    const rows: Array<{ action: string; details: { personKeys?: string[] } }> = await svc.db.query(
      `SELECT action, details FROM audit.events WHERE actor_id = $1 ORDER BY id`,
      [reader.sub],
    );
    const byAction = Object.fromEntries(rows.map((r) => [r.action, r.details.personKeys]));
    expect(byAction['correction.subject.list']).toEqual([keyA, keyB].sort());
    expect(byAction['correction.caseload.list']).toEqual([keyA, keyB].sort());
  });
});

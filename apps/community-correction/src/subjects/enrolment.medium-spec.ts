import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind, IdNumber, Role, addDays, personKeyOf } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload } from '@homeward/testing';
import { CorrectionApp, assignSocialWorker, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

const ID = '11010519491231002X';
const OTHER_ID = '320281198506151237';
const PERSON_KEY_SECRET = 'medium-test-person-key-secret-0123456789';

describe('community-correction enrolment and staff queries (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  const officer104 = keys.mint(staffPrincipal({ towns: ['104'] }), { now: clock.now() });
  const officer107 = keys.mint(staffPrincipal({ towns: ['107'] }), { now: clock.now() });
  const socialWorkerPrincipal = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'] });
  const socialWorker = keys.mint(socialWorkerPrincipal, { now: clock.now() });

  const body = (over: Record<string, unknown> = {}, person: Record<string, unknown> = {}) =>
    enrolmentPayload({ idNumber: ID, name: '王某', person }, { judgmentDocumentNo: '(2026)苏0281刑初1号', ...over });
  const enrol = (payload: object, key: string, token = court) =>
    request(app.getHttpServer()).post('/api/v1/correction/enrolments').set('authorization', `Bearer ${token}`).set('idempotency-key', key).send(payload);
  const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
    request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables });
  // The superuser's view (svc.db): the app's own role may not read audit.events (issue 6 item 3).
  const count = async (sql: string, params: unknown[] = []) => Number((await svc.db.query<{ n: string }>(sql, params))[0].n);

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc', clock, keys, env: { PERSON_KEY_SECRET } });
    ({ app, dataSource: ds } = svc);
  });

  afterAll(async () => {
    await svc?.close();
  });

  let subjectId: string;

  it('CC-4: enrolment answers 201 PENDING_REPORT with the report deadline 10 days after the judgment took effect', async () => {
    const res = await enrol(body(), 'JUD-1').expect(201);
    expect(res.body).toEqual({ id: expect.any(String), status: 'PENDING_REPORT', reportDeadline: addDays('2026-11-20', 10) });
    expect(res.headers.location).toBe(`/api/v1/correction/enrolments/${res.body.id}`);
    subjectId = res.body.id;
  });

  it('stores the ID number encrypted with its personKey, never in clear', async () => {
    const [row] = await ds.query(`SELECT * FROM correction.subjects WHERE id = $1`, [subjectId]);
    expect(row.person_key).toBe(personKeyOf(IdNumber.parse(ID), PERSON_KEY_SECRET));
    expect(row.id_number_cipher).not.toContain(ID);
    expect(row.masked_id_number).toBe('110105********002X');
    const dump = JSON.stringify(await ds.query(`SELECT * FROM correction.subjects`));
    expect(dump).not.toContain(ID);
  });

  it('publishes correction.subject.enrolled through the outbox with the personKey and no ID number or name', async () => {
    const rows = await ds.query(`SELECT name, payload FROM correction.bus_outbox WHERE name = 'correction.subject.enrolled'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toMatchObject({ subjectId, town: '104', reportDeadline: '2026-11-30' });
    expect(JSON.stringify(rows[0].payload)).not.toMatch(new RegExp(`${ID}|王某`));
  });

  it('writes an audit row for the enrolment in the same transaction', async () => {
    expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.enrol' AND entity_id = $1`, [subjectId])).toBe(1);
  });

  it.each([
    ['a wrong check digit', body({}, { idNumber: '110105194912310021' }), 422],
    ['an unknown town', body({}, { residenceTown: '999' }), 422],
    ['a sentence type outside CC-1', body({ sentenceType: 'FINE' }), 422],
    ['an end before the start', body({ correctionEndDate: '2026-11-01' }), 422],
    ['CC-6: probation shorter than 2 months', body({ correctionEndDate: '2026-12-01' }), 422],
    ['a missing decidingAuthority', body({ decidingAuthority: undefined }), 400],
    ['a malformed ID number', body({}, { idNumber: '12345' }), 400],
  ])('%s is refused (%#) and changes nothing', async (_what, payload, status) => {
    const before = await count(`SELECT count(*) AS n FROM correction.subjects`);
    const outbox = await count(`SELECT count(*) AS n FROM correction.bus_outbox`);
    const res = await enrol(payload, `BAD-${Math.random()}`).expect(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await count(`SELECT count(*) AS n FROM correction.subjects`)).toBe(before);
    expect(await count(`SELECT count(*) AS n FROM correction.bus_outbox`)).toBe(outbox);
  });

  it('CC-2: a second enrolment while the person is still under correction is a 409 conflict', async () => {
    const res = await enrol(body({ judgmentDocumentNo: '(2026)苏0281刑初2号' }), 'JUD-2').expect(409);
    expect(res.body.detail).toContain('already');
  });

  it('only courts, prisons and police may enrol (403 for a procuratorate), and only with a token (401)', async () => {
    const procuratorate = keys.mint(partnerPrincipal(AgencyKind.PROCURATORATE), { now: clock.now() });
    await enrol(body({}, { idNumber: OTHER_ID }), 'P-1', procuratorate).expect(403);
    await request(app.getHttpServer()).post('/api/v1/correction/enrolments').set('idempotency-key', 'A-1').send(body()).expect(401);
  });

  it('the enrolling agency reads its enrolment back; another agency gets 404', async () => {
    await request(app.getHttpServer()).get(`/api/v1/correction/enrolments/${subjectId}`).set('authorization', `Bearer ${court}`).expect(200);
    const otherCourt = keys.mint(partnerPrincipal(AgencyKind.COURT, { agencyId: 'another-court' }), { now: clock.now() });
    await request(app.getHttpServer()).get(`/api/v1/correction/enrolments/${subjectId}`).set('authorization', `Bearer ${otherCourt}`).expect(404);
  });

  const ONE = `query($id: ID!) { correctionSubject(id: $id) { id status town { code name } person { key maskedIdNumber } idNumber } }`;

  it('a town officer sees the subject of the town; the clear ID number is revealed only on request and audited', async () => {
    const res = await gql(officer104, ONE, { id: subjectId }).expect(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.correctionSubject).toMatchObject({
      id: subjectId,
      status: 'PENDING_REPORT',
      town: { code: '104', name: '徐霞客镇' },
      person: { maskedIdNumber: '110105********002X' },
      idNumber: ID,
    });
    expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.unmask-id-number' AND entity_id = $1`, [subjectId])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.read' AND entity_id = $1 AND outcome = 'SUCCESS'`, [subjectId])).toBeGreaterThan(0);
  });

  it('a social worker (assigned, issue 6 item 7) never gets the clear ID number', async () => {
    await assignSocialWorker(svc, officer104, subjectId, socialWorkerPrincipal.sub);
    const res = await gql(socialWorker, ONE, { id: subjectId }).expect(200);
    expect(res.body.data.correctionSubject.idNumber).toBeNull();
  });

  it('another town\'s officer gets null, an empty list, and the denied read is audited', async () => {
    const one = await gql(officer107, ONE, { id: subjectId }).expect(200);
    expect(one.body.data.correctionSubject).toBeNull();
    const list = await gql(officer107, `{ correctionSubjects(first: 10) { totalCount edges { node { id } } } }`).expect(200);
    expect(list.body.data.correctionSubjects).toEqual({ totalCount: 0, edges: [] });
    expect(await count(`SELECT count(*) AS n FROM audit.events WHERE action = 'correction.subject.read' AND entity_id = $1 AND outcome = 'DENIED'`, [subjectId])).toBe(1);
    const asked = await gql(officer107, `{ correctionSubjects(town: "104", first: 10) { totalCount } }`).expect(200);
    expect(asked.body.data.correctionSubjects.totalCount).toBe(0);
  });

  it('lists page by page with a cursor, filtered by status', async () => {
    const ids = ['110101199003077758', '110101199003071719', '11010119900307029X'];
    for (const [i, idNumber] of ids.entries()) {
      await enrol(body({ judgmentDocumentNo: `P-${i}` }, { idNumber, name: `对象${i}` }), `PAGE-${i}`).expect(201);
    }
    const total = 1 + ids.length;
    const q = `query($after: String) { correctionSubjects(first: 2, after: $after, status: PENDING_REPORT) { totalCount pageInfo { endCursor hasNextPage } edges { node { id } } } }`;
    const first = (await gql(officer104, q).expect(200)).body.data.correctionSubjects;
    expect(first.totalCount).toBe(total);
    expect(first.edges).toHaveLength(Math.min(2, total));
    const seen = new Set(first.edges.map((e: { node: { id: string } }) => e.node.id));
    let page = first;
    while (page.pageInfo.hasNextPage) {
      page = (await gql(officer104, q, { after: page.pageInfo.endCursor }).expect(200)).body.data.correctionSubjects;
      for (const e of page.edges) seen.add(e.node.id);
    }
    expect(seen.size).toBe(total);
    const active = await gql(officer104, `{ correctionSubjects(first: 10, status: ACTIVE) { totalCount } }`).expect(200);
    expect(active.body.data.correctionSubjects.totalCount).toBe(0);
  });

  it('a bad cursor is a typed GraphQL error', async () => {
    const res = await gql(officer104, `{ correctionSubjects(first: 2, after: "nonsense") { totalCount } }`).expect(200);
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

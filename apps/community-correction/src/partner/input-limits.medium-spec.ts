/**
 * Issue 6 item 13 (and item 5's validation half): bad input to the partner REST routes and the
 * subgraph gets 400 problem+json or a typed GraphQL error and writes nothing (every table of
 * the correction and audit schemas counted before and after).
 */
import { request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgencyKind } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload, investigationPayload, rowCounts as countRows } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

const ID = '11010519491231002X';

describe('issue 6 item 13: bad input to community-correction is refused and writes nothing (real PostgreSQL + Redis)', () => {
  let svc: CorrectionApp;
  let app: NestExpressApplication;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: 3600, now: clock.now() });
  const procuratorate = keys.mint(partnerPrincipal(AgencyKind.PROCURATORATE), { expiresInSeconds: 3600, now: clock.now() });
  const monitoring = keys.mint(partnerPrincipal(AgencyKind.MONITORING_PLATFORM), { expiresInSeconds: 3600, now: clock.now() });
  const officer = keys.mint(staffPrincipal({ towns: ['104'] }), { expiresInSeconds: 3600, now: clock.now() });
  let subjectId: string;
  let seq = 0;

  const enrolment = (over: Record<string, unknown> = {}, person: Record<string, unknown> = {}) =>
    enrolmentPayload({ idNumber: ID, name: '王某', person }, { judgmentDocumentNo: '(2026)苏0281刑初1号', ...over });
  const investigation = (over: Record<string, unknown> = {}, person: Record<string, unknown> = {}) =>
    investigationPayload({ receivedDate: undefined, ...over }, { idNumber: '320281198506151237', name: '李某', ...person });
  const document = (over: Record<string, unknown> = {}) => ({ documentType: 'JUDGMENT', documentNo: '(2026)苏0281刑初1号', issuedDate: '2026-11-18', ...over });
  const notice = (over: Record<string, unknown> = {}) => ({
    subjectId,
    kind: 'SUGGESTION',
    documentNo: '澄检建〔2026〕1号',
    issuedDate: '2026-11-19',
    content: '请加强监管',
    ...over,
  });
  const fixes = (over: Record<string, unknown> = {}) => ({ fixes: [{ deviceId: 'DEV-1', at: '2026-11-20T09:00:00+08:00', lat: 31.8, lng: 120.3, ...over }] });

  type Route = { path: () => string; token: () => string };
  const ROUTES: Record<string, Route> = {
    enrolments: { path: () => '/api/v1/correction/enrolments', token: () => court },
    investigations: { path: () => '/api/v1/correction/investigation-requests', token: () => court },
    documents: { path: () => `/api/v1/correction/enrolments/${subjectId}/documents`, token: () => court },
    notices: { path: () => '/api/v1/correction/procuratorate-notices', token: () => procuratorate },
    fixes: { path: () => '/api/v1/correction/location-fixes', token: () => monitoring },
  };
  const post = (route: keyof typeof ROUTES, body: unknown) =>
    request(app.getHttpServer())
      .post(ROUTES[route].path())
      .set('authorization', `Bearer ${ROUTES[route].token()}`)
      .set('idempotency-key', `K-${++seq}`)
      .set('content-type', 'application/json')
      .send(typeof body === 'string' ? body : JSON.stringify(body));

  const rowCounts = () => countRows(svc.db, ['correction', 'audit']);

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'cc-input', clock, keys });
    ({ app, dataSource: ds } = svc);
    const res = await post('enrolments', enrolment()).expect(201);
    subjectId = res.body.id;
  });

  afterAll(async () => {
    await svc?.close();
  });

  const NUL = 'a\u0000b';
  it.each<[string, keyof typeof ROUTES, () => unknown]>([
    ['enrolment person.name', 'enrolments', () => enrolment({}, { idNumber: '320281198506151237', name: `王${NUL}` })],
    ['enrolment person.registeredAddress', 'enrolments', () => enrolment({}, { registeredAddress: NUL })],
    ['enrolment person.phone', 'enrolments', () => enrolment({}, { phone: NUL })],
    ['enrolment offence', 'enrolments', () => enrolment({ offence: NUL })],
    ['enrolment decidingAuthority', 'enrolments', () => enrolment({ decidingAuthority: NUL })],
    ['enrolment judgmentDocumentNo', 'enrolments', () => enrolment({ judgmentDocumentNo: NUL })],
    ['investigation person.name', 'investigations', () => investigation({}, { name: NUL })],
    ['investigation offence', 'investigations', () => investigation({ offence: NUL })],
    ['investigation requestingDocumentNo', 'investigations', () => investigation({ requestingDocumentNo: NUL })],
    ['document documentNo', 'documents', () => document({ documentNo: NUL })],
    ['notice content', 'notices', () => notice({ content: `请${NUL}` })],
    ['notice documentNo', 'notices', () => notice({ documentNo: NUL })],
    ['location fix deviceId', 'fixes', () => fixes({ deviceId: NUL })],
    ['a key holding a control character', 'enrolments', () => ({ ...enrolment(), ['x\u0001']: 1 })],
    ['an ESC (U+001B) in a name', 'investigations', () => investigation({}, { name: '李\u001b[31m某' })],
  ])('a control character in %s is a 400 problem+json naming the field, and nothing is written', async (_what, route, body) => {
    const before = await rowCounts();
    const res = await post(route, body());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors[0].field).toBeDefined();
    expect(await rowCounts()).toEqual(before);
  });

  it('tab, line feed and carriage return are allowed in free text', async () => {
    const res = await post('notices', notice({ content: '第一条\t请加强监管\r\n第二条' }));
    expect(res.status).toBe(201);
  });

  it.each(Object.keys(ROUTES) as Array<keyof typeof ROUTES>)('JSON nested 5,000 deep to %s is a 400, not a stack overflow, and writes nothing', async (route) => {
    const before = await rowCounts();
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const res = await post(route, `{"person":${deep}}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await rowCounts()).toEqual(before);
  });

  it('a body that is not valid UTF-8 is a 400, not stored with U+FFFD', async () => {
    const before = await rowCounts();
    const [head, tail] = JSON.stringify(enrolment({}, { idNumber: '320281198506151237', name: '@@' })).split('@@');
    const body = Buffer.concat([Buffer.from(`${head}王`), Buffer.from([0xe7, 0x8e]) /* a truncated 3-byte sequence */, Buffer.from(tail)]);
    const server = app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/api/v1/correction/enrolments',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${court}`, 'idempotency-key': 'UTF-1' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(400);
    expect(await rowCounts()).toEqual(before);
    expect(JSON.stringify(await ds.query(`SELECT * FROM correction.subjects`))).not.toContain('\ufffd');
  });

  it.each<[string, keyof typeof ROUTES, () => unknown]>([
    ['a 1900 received date', 'investigations', () => investigation({ receivedDate: '1900-01-01' })],
    ['a 2099 document date', 'documents', () => document({ issuedDate: '2099-01-01' })],
    ['a notice issued in 2099', 'notices', () => notice({ issuedDate: '2099-12-31' })],
    ['a birth date in 1800', 'enrolments', () => enrolment({}, { idNumber: '320281198506151237', birthDate: '1800-01-01' })],
    ['a judgment that took effect in 1950', 'enrolments', () => enrolment({ judgmentEffectiveDate: '1950-01-01' }, { idNumber: '320281198506151237' })],
    ['a correction ending in 2199', 'enrolments', () => enrolment({ correctionEndDate: '2199-01-01' }, { idNumber: '320281198506151237' })],
    ['a location fix from 1970', 'fixes', () => fixes({ at: '1970-01-01T00:00:00Z' })],
  ])('%s is a 400 naming the field, and nothing is written (no alert raised)', async (_what, route, body) => {
    const before = await rowCounts();
    const res = await post(route, body());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await rowCounts()).toEqual(before);
  });

  it('a received date inside the window is still accepted', async () => {
    await post('investigations', investigation({ receivedDate: '2026-11-18' })).expect(201);
  });

  it('issue 6 item 14: malformed JSON is a 400 problem+json with the request id and no stack trace (not Express\' HTML page)', async () => {
    const res = await post('enrolments', '{"person": {"name": ').set('x-request-id', 'req-bad-json');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.requestId).toBe('req-bad-json');
    expect(res.text).not.toMatch(/\bat \S+ \(|node_modules|<pre>/);
  });

  it('a body over 2 MB is a 413 problem+json', async () => {
    const res = await post('enrolments', JSON.stringify({ ...enrolment(), pad: 'x'.repeat(2 * 1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  describe('GraphQL', () => {
    const gql = (body: Record<string, unknown>) =>
      request(app.getHttpServer()).post('/graphql').set('authorization', `Bearer ${officer}`).set('content-type', 'application/json').send(body);
    const MUTATION = `mutation R($input: RecordSanctionInput!) { recordSanction(input: $input) { id } }`;
    const input = (over: Record<string, unknown> = {}) => ({ subjectId, kind: 'ADMONITION', decidedOn: '2026-11-19', reason: '迟到', decidedBy: '司法所', ...over });

    it('a NUL in variables is a 400 BAD_USER_INPUT and writes nothing', async () => {
      const before = await rowCounts();
      const res = await gql({ query: MUTATION, variables: { input: input({ reason: NUL }) } });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'variables.input.reason' });
      expect(res.body.errors[0].message).toMatch(/control character/);
      expect(await rowCounts()).toEqual(before);
    });

    it('a NUL in a string literal is refused before anything runs', async () => {
      const before = await rowCounts();
      const res = await gql({
        query: `mutation { recordSanction(input: { subjectId: "${subjectId}", kind: ADMONITION, decidedOn: "2026-11-19", reason: "a\\u0000b", decidedBy: "x" }) { id } }`,
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).not.toBe('INTERNAL_SERVER_ERROR');
      expect(await rowCounts()).toEqual(before);
    });

    it('a decision dated 1900 is a BAD_USER_INPUT and writes nothing', async () => {
      const before = await rowCounts();
      const res = await gql({ query: MUTATION, variables: { input: input({ decidedOn: '1900-01-01' }) } });
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(await rowCounts()).toEqual(before);
    });

    it('an unknown operationName is a 400 OPERATION_RESOLUTION_FAILURE, not a 500', async () => {
      const res = await gql({ query: 'query A { __typename }', operationName: 'B' });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
      expect(res.body.errors[0].extensions.requestId).toBeDefined();
    });
  });
});

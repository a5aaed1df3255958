/**
 * The gateway against tiny real upstreams (federation subgraphs built from SDL with
 * @apollo/subgraph, plus REST / JWKS routes) on random ports, driven over HTTP by supertest.
 */
import { KeyObject, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import express from 'express';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import { generateRsaKeyPairSync, loadConfig, METRICS_REGISTRY, startMetricsServer } from '@homeward/platform';
import type { Registry } from 'prom-client';
import { testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { closedPortUrl, FakeUpstream, startFakeUpstream } from '../test/fake-upstreams';
import { GatewayConfig } from './config';
import { GraphQLResolveInfo, print } from 'graphql';
import { createGatewayApp } from './create-app';
import { composeSupergraph } from './graphql/compose';

jest.setTimeout(30_000);

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

const SDL = {
  identity: `${LINK}
    type Query { whoami: Echo! slowWhoami: Echo! node: Node nodes(first: Int): [Node!]! operationSeen: String! failing: String }
    type Echo { authorization: String requestId: String gatewaySecret: String clientIp: String }
    type Node { id: ID! child: Node }
    type Person @key(fields: "key") { key: ID! maskedName: String! }`,
  correction: `${LINK}
    type Query { correctionSubject(id: ID!): CorrectionSubject }
    type CorrectionSubject { id: ID! status: String! person: Person! }
    type Person @key(fields: "key") { key: ID! }`,
  resettlement: `${LINK}
    type Query { resettlementPing: String }`,
  aftercare: `${LINK}
    type Query { aftercarePing: String }`,
  alerts: `${LINK}
    type Query { alertsPing: String }`,
};

type Ctx = { headers: Record<string, string | undefined> };

const KID = 'test-key-1';

interface Keys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

function sign(keys: Keys, claims: Record<string, unknown> = {}, subject = 'u-1'): string {
  return jwt.sign(
    { kind: 'STAFF', usr: 'officer104', roles: ['TOWN_OFFICER'], towns: ['104'], ...claims },
    keys.privateKey,
    { algorithm: 'RS256', keyid: KID, issuer: 'homeward-identity', audience: 'homeward', subject, expiresIn: 300 },
  );
}

const GATEWAY_SECRET = 'gateway-medium-test-subgraph-secret-0123456789';

/** The request ids `slowWhoami` was asked with, in order. */
const slowWhoamiCalls: string[] = [];

async function startUpstreams(
  keys: Keys,
  requireGatewaySecret?: string,
): Promise<Record<'identity' | 'correction' | 'resettlement' | 'aftercare' | 'alerts', FakeUpstream>> {
  const identity = await startFakeUpstream({
    name: 'identity',
    requireGatewaySecret,
    sdl: SDL.identity,
    resolvers: {
      Query: {
        whoami: (_: unknown, __: unknown, ctx: Ctx) => ({
          authorization: ctx.headers.authorization ?? null,
          requestId: ctx.headers['x-request-id'] ?? null,
          gatewaySecret: ctx.headers['x-homeward-gateway-secret'] ?? null,
          clientIp: ctx.headers['x-homeward-client-ip'] ?? null,
        }),
        // answers after 150 ms, so that calls overlap in flight (counted in slowWhoamiCalls)
        slowWhoami: async (_: unknown, __: unknown, ctx: Ctx) => {
          slowWhoamiCalls.push(ctx.headers['x-request-id'] ?? '');
          await new Promise((resolve) => setTimeout(resolve, 150));
          return { authorization: ctx.headers.authorization ?? null, requestId: ctx.headers['x-request-id'] ?? null };
        },
        node: () => ({ id: 'n0' }),
        nodes: () => [],
        // the operation as this subgraph received it (issue 13 S3: the caller's own, or the planner's)
        operationSeen: (_: unknown, __: unknown, ___: unknown, info: GraphQLResolveInfo) => print(info.operation),
        failing: () => {
          throw new Error('connect ECONNREFUSED 10.1.2.3:5432 at Object.<anonymous> (/srv/app.js:1:1)');
        },
      },
      Node: { child: (parent: { id: string }) => ({ id: `${parent.id}.c` }) },
      Person: { __resolveReference: (ref: { key: string }) => ({ key: ref.key, maskedName: `张*${ref.key.slice(-2)}` }) },
    },
    openApiPaths: { '/api/v1/auth/login': { post: { summary: 'login' } } },
    openApiSchemas: { LoginDto: { type: 'object', required: ['username'] } },
    configure: (app) => {
      app.get('/.well-known/jwks.json', (_req, res) => {
        res.json({ keys: [{ ...keys.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] });
      });
      app.post('/api/v1/oauth/token', express.text({ type: '*/*' }), (req, res) => {
        res.status(200).json({ contentType: req.headers['content-type'], raw: req.body });
      });
    },
  });
  const correction = await startFakeUpstream({
    name: 'correction',
    requireGatewaySecret,
    sdl: SDL.correction,
    resolvers: {
      Query: {
        correctionSubject: (_: unknown, args: { id: string }) => ({ id: args.id, status: 'PENDING_REPORT', person: { key: 'pk-42' } }),
      },
    },
    openApiPaths: { '/api/v1/correction/enrolments': { post: { summary: 'enrol' } } },
    openApiSchemas: { LoginDto: { type: 'object', required: ['other'] } },
    configure: (app) => {
      app.get('/api/v1/correction/echo-headers', (req, res) => {
        res.json({ gatewaySecret: req.headers['x-homeward-gateway-secret'] ?? null, clientIp: req.headers['x-homeward-client-ip'] ?? null });
      });
      app.post('/api/v1/correction/enrolments', express.json(), (req, res) => {
        if (req.body?.sentenceType === 'NONE') {
          res.status(422).type('application/problem+json').json({
            type: 'urn:homeward:problem:unprocessable',
            title: 'Unprocessable entity / 无法处理',
            status: 422,
            detail: 'sentence type outside CC-1',
          });
          return;
        }
        res
          .status(201)
          .location('/api/v1/correction/enrolments/e-1')
          .json({
            id: 'e-1',
            echo: req.body,
            idempotencyKey: req.headers['idempotency-key'],
            authorization: req.headers.authorization,
            requestId: req.headers['x-request-id'],
          });
      });
    },
  });
  const resettlement = await startFakeUpstream({ name: 'resettlement', sdl: SDL.resettlement, resolvers: {}, requireGatewaySecret });
  const aftercare = await startFakeUpstream({ name: 'aftercare', sdl: SDL.aftercare, resolvers: {}, requireGatewaySecret });
  const alerts = await startFakeUpstream({
    name: 'alerts',
    requireGatewaySecret,
    sdl: SDL.alerts,
    resolvers: {},
    openApiPaths: { '/api/v1/alerts/acknowledgements': { post: { summary: 'ack' } } },
  });
  return { identity, correction, resettlement, aftercare, alerts };
}

function configFor(urls: Record<string, string>, extra: Record<string, string> = {}): GatewayConfig {
  return loadConfig(GatewayConfig, {
    NODE_ENV: 'test',
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: testRedisPrefix('gateway'),
    LOG_LEVEL: 'warn',
    IDENTITY_URL: urls.identity,
    CORRECTION_URL: urls.correction,
    RESETTLEMENT_URL: urls.resettlement,
    AFTERCARE_URL: urls.aftercare,
    ALERTS_URL: urls.alerts,
    ...extra,
  });
}

const gql = (app: INestApplication, query: string) =>
  request(app.getHttpServer()).post('/graphql').set('content-type', 'application/json').send({ query });

describe('gateway (medium)', () => {
  const keys: Keys = generateRsaKeyPairSync(2048);
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let app: INestApplication;

  beforeAll(async () => {
    // The fake subgraphs answer 401 without the secret, like production subgraphs: composition
    // (`_service`) and every query below only work because the gateway sends it (issue 6 item 12).
    upstreams = await startUpstreams(keys, GATEWAY_SECRET);
    const urls = Object.fromEntries(Object.entries(upstreams).map(([k, v]) => [k, v.url]));
    app = await createGatewayApp({ config: configFor(urls, { SUBGRAPH_SHARED_SECRET: GATEWAY_SECRET }), logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all(Object.values(upstreams ?? {}).map((u) => u.close()));
  });

  describe('GraphQL', () => {
    it('resolves a query across two subgraphs (Person entity from identity inside a correction subject)', async () => {
      const res = await gql(app, '{ correctionSubject(id: "s-1") { id status person { key maskedName } } }').expect(200);
      expect(res.body).toEqual({
        data: { correctionSubject: { id: 's-1', status: 'PENDING_REPORT', person: { key: 'pk-42', maskedName: '张*42' } } },
      });
    });

    it('forwards authorization and x-request-id to the subgraph', async () => {
      const token = sign(keys);
      const res = await gql(app, '{ whoami { authorization requestId } }')
        .set('authorization', `Bearer ${token}`)
        .set('x-request-id', 'req-abc-1')
        .expect(200);
      expect(res.body.data.whoami).toEqual({ authorization: `Bearer ${token}`, requestId: 'req-abc-1' });
    });

    it('answers two callers asking the same query at the same moment each with their own answer (no in-flight sharing across tokens)', async () => {
      // The HTTP executor under Hive Gateway shares one upstream call between identical queries in
      // flight, keyed without the headers the gateway adds: one town's officer would get the answer
      // the subgraph gave another town's.
      const town104 = sign(keys, { towns: ['104'] });
      const town105 = sign(keys, { towns: ['105'], usr: 'officer105' }, 'u-2');
      const ask = (token: string, requestId: string) =>
        gql(app, '{ slowWhoami { authorization requestId } }').set('authorization', `Bearer ${token}`).set('x-request-id', requestId).expect(200);
      const [a, b] = await Promise.all([ask(town104, 'req-town-104'), ask(town105, 'req-town-105')]);
      expect(a.body.data.slowWhoami).toEqual({ authorization: `Bearer ${town104}`, requestId: 'req-town-104' });
      expect(b.body.data.slowWhoami).toEqual({ authorization: `Bearer ${town105}`, requestId: 'req-town-105' });
    });

    it('sends every call to the subgraph, even two identical ones in flight from one caller (each read is the subgraph\'s to audit)', async () => {
      const token = sign(keys);
      slowWhoamiCalls.length = 0;
      const ask = (requestId: string) => gql(app, '{ slowWhoami { requestId } }').set('authorization', `Bearer ${token}`).set('x-request-id', requestId).expect(200);
      const answers = await Promise.all(['req-same-1', 'req-same-2', 'req-same-3'].map(ask));
      expect(answers.map((r) => r.body.data.slowWhoami.requestId)).toEqual(['req-same-1', 'req-same-2', 'req-same-3']);
      expect([...slowWhoamiCalls].sort()).toEqual(['req-same-1', 'req-same-2', 'req-same-3']);
    });

    it('issue 13 S3: an operation one subgraph answers alone reaches it as the caller wrote it (no planner); one that spans two is planned; both counted', async () => {
      const mine = 'query Mine { ...Seen } fragment Seen on Query { operationSeen }';
      const res = await request(app.getHttpServer()).post('/graphql').set('content-type', 'application/json').send({ query: mine, operationName: 'Mine' }).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ data: { operationSeen: 'query Mine {\n  ...Seen\n}' } });
      await gql(app, '{ correctionSubject(id: "s-1") { id person { maskedName } } }').expect(200);
      const metrics = await startMetricsServer(app.get<Registry>(METRICS_REGISTRY), 0);
      try {
        const text = (await request(metrics).get('/metrics').expect(200)).text;
        expect(text).toMatch(/gateway_graphql_operations_total\{route="subgraph",subgraph="identity"[^}]*\} [1-9]/);
        expect(text).toMatch(/gateway_graphql_operations_total\{route="planned",subgraph=""[^}]*\} [1-9]/);
      } finally {
        metrics.close();
      }
      // GATEWAY_SINGLE_SUBGRAPH_PASSTHROUGH=false: the same operation goes through Hive Gateway's planner
      const urls = Object.fromEntries(Object.entries(upstreams).map(([k, v]) => [k, v.url]));
      const planned = await createGatewayApp({ config: configFor(urls, { SUBGRAPH_SHARED_SECRET: GATEWAY_SECRET, GATEWAY_SINGLE_SUBGRAPH_PASSTHROUGH: 'false' }), logger: false });
      try {
        const viaPlanner = await request(planned.getHttpServer()).post('/graphql').set('content-type', 'application/json').send({ query: mine, operationName: 'Mine' }).expect(200);
        expect(viaPlanner.body.data.operationSeen).not.toContain('...Seen');
      } finally {
        await planned.close();
      }
    });

    it('issue 13 S3: passed to one subgraph, the answer keeps the gateway\'s error policy: no internal address or stack, the request id, partial data kept', async () => {
      const res = await gql(app, '{ operationSeen failing }').set('x-request-id', 'req-pass-err').expect(200);
      expect(res.body.data).toEqual({ operationSeen: expect.any(String), failing: null });
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0]).toMatchObject({ path: ['failing'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-pass-err' } });
      expect(JSON.stringify(res.body)).not.toMatch(/10\.1\.2\.3|ECONNREFUSED|app\.js|stacktrace/);
    });

    it('issue 13 S3: refusals are word for word those of Hive Gateway: bad variables, unknown field, too many aliases, a NUL, no such operation', async () => {
      const bodies = [
        { query: 'query N($n: Int) { nodes(first: $n) { id } }', variables: { n: 'many' } },
        { query: 'query N($n: Int!) { nodes(first: $n) { id } }' },
        { query: '{ whoami { nope } }' },
        { query: `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: operationSeen`).join(' ')} }` },
        { query: 'query N($n: Int, $s: String) { nodes(first: $n) { id } }', variables: { n: 1, s: 'a\u0000b' } },
        { query: 'query A { operationSeen }', operationName: 'B' },
        { query: '{ nodes(first: 100000) { id child { id } } }' },
      ];
      const urls = Object.fromEntries(Object.entries(upstreams).map(([k, v]) => [k, v.url]));
      const planned = await createGatewayApp({ config: configFor(urls, { SUBGRAPH_SHARED_SECRET: GATEWAY_SECRET, GATEWAY_SINGLE_SUBGRAPH_PASSTHROUGH: 'false' }), logger: false });
      try {
        for (const [i, body] of bodies.entries()) {
          const ask = (a: INestApplication) =>
            request(a.getHttpServer()).post('/graphql').set('content-type', 'application/json').set('x-request-id', `req-refusal-${i}`).send(body);
          const [passed, viaHive] = await Promise.all([ask(app), ask(planned)]);
          expect(passed.body.errors?.length).toBeGreaterThan(0);
          expect({ status: passed.status, body: passed.body }).toEqual({ status: viaHive.status, body: viaHive.body });
        }
      } finally {
        await planned.close();
      }
    });

    it('forwards an anonymous query untouched (the subgraph decides), with a minted request id', async () => {
      const res = await gql(app, '{ whoami { authorization requestId } }').expect(200);
      expect(res.body.data.whoami.authorization).toBeNull();
      expect(res.body.data.whoami.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('rejects a bad token with 401 UNAUTHENTICATED before any subgraph is asked', async () => {
      const other = generateRsaKeyPairSync(2048);
      const res = await gql(app, '{ whoami { authorization } }').set('authorization', `Bearer ${sign(other)}`);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    });

    it('rejects a query deeper than 10 levels (graphql-armor max depth)', async () => {
      const deep = `{ node { ${'child { '.repeat(10)}id${' }'.repeat(10)} } }`;
      const res = await gql(app, deep);
      expect(res.status).toBe(400);
      expect(res.body.data).toBeUndefined();
      expect(JSON.stringify(res.body.errors)).toMatch(/depth/i);
      const ok = `{ node { ${'child { '.repeat(8)}id${' }'.repeat(8)} } }`;
      await gql(app, ok).expect(200);
    });

    it('rejects more than 15 aliases (graphql-armor max aliases)', async () => {
      const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: whoami { requestId }`).join(' ');
      const res = await gql(app, `{ ${aliases} }`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toMatch(/alias/i);
    });

    it('issue 6 item 12: `first` given as a variable costs what the same literal costs', async () => {
      const q = (first: string) => `nodes(first: ${first}) { id child { id child { id child { id } } } }`;
      const literal = await gql(app, `{ ${q('200')} }`);
      const variable = await request(app.getHttpServer())
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: `query($n: Int) { ${q('$n')} }`, variables: { n: 200 } });
      for (const res of [literal, variable]) {
        expect(res.status).toBe(400);
        expect(res.body.errors[0].message).toMatch(/Cost limit of 5000 exceeded, found 5687/);
      }
      await request(app.getHttpServer())
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: `query($n: Int) { ${q('$n')} }`, variables: { n: 20 } })
        .expect(200);
    });

    it('issue 6 items 11/12: every subgraph request carries the gateway secret and the client IP the gateway saw, not the caller\'s', async () => {
      const res = await gql(app, '{ whoami { gatewaySecret clientIp } }')
        .set('x-forwarded-for', '203.0.113.10')
        .set('x-homeward-gateway-secret', 'forged')
        .set('x-homeward-client-ip', '203.0.113.9')
        .expect(200);
      expect(res.body.data.whoami).toEqual({ gatewaySecret: GATEWAY_SECRET, clientIp: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
    });

      it('issue 6 item 11: the REST proxy replaces a caller\'s gateway headers with its own', async () => {
      const res = await request(app.getHttpServer())
        .get('/api/v1/correction/echo-headers')
        .set('x-forwarded-for', '203.0.113.10')
        .set('x-homeward-gateway-secret', 'forged')
        .set('x-homeward-client-ip', '203.0.113.9')
        .expect(200);
      expect(res.body).toEqual({ gatewaySecret: GATEWAY_SECRET, clientIp: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
    });

    it('hides field suggestions', async () => {
      const res = await gql(app, '{ whoam { requestId } }');
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).not.toMatch(/Did you mean/);
    });

    it('refuses a batched HTTP request', async () => {
      const res = await request(app.getHttpServer())
        .post('/graphql')
        .set('content-type', 'application/json')
        .send([{ query: '{ whoami { requestId } }' }, { query: '{ whoami { requestId } }' }]);
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/batch/i);
    });

    it('CSRF prevention: refuses a GET query without a preflight header (403, Hive Gateway\'s CSRF plugin), answers it with one', async () => {
      const blocked = await request(app.getHttpServer()).get('/graphql').query({ query: '{ alertsPing }' });
      expect(blocked.status).toBe(403);
      expect(blocked.text).toMatch(/CSRF|preflight/i);
      await request(app.getHttpServer())
        .get('/graphql')
        .query({ query: '{ alertsPing }' })
        .set('apollo-require-preflight', 'true')
        .expect(200);
    });
  });

  describe('REST proxy', () => {
    it('proxies POST /api/v1/correction/enrolments with body, headers, status and Location intact', async () => {
      const token = sign(keys, { kind: 'PARTNER', agk: 'COURT' });
      const body = { person: { idNumber: '320281199001011234', name: '张三' }, sentenceType: 'PROBATION' };
      const res = await request(app.getHttpServer())
        .post('/api/v1/correction/enrolments')
        .set('authorization', `Bearer ${token}`)
        .set('idempotency-key', 'JD-2025-001')
        .send(body)
        .expect(201);
      expect(res.headers.location).toBe('/api/v1/correction/enrolments/e-1');
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(res.body).toEqual({
        id: 'e-1',
        echo: body,
        idempotencyKey: 'JD-2025-001',
        authorization: `Bearer ${token}`,
        requestId: res.headers['x-request-id'],
      });
    });

    it('passes an upstream problem+json answer through with its status', async () => {
      const res = await request(app.getHttpServer())
        .post('/api/v1/correction/enrolments')
        .send({ sentenceType: 'NONE' })
        .expect(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.detail).toBe('sentence type outside CC-1');
    });

    it('forwards a form-encoded token request byte for byte', async () => {
      const form = 'grant_type=client_credentials&client_id=c1&client_secret=s%26s';
      const res = await request(app.getHttpServer())
        .post('/api/v1/oauth/token')
        .set('content-type', 'application/x-www-form-urlencoded')
        .send(form)
        .expect(200);
      expect(res.body).toEqual({ contentType: 'application/x-www-form-urlencoded', raw: form });
    });

    it('serves identity\'s JWKS at /.well-known/jwks.json', async () => {
      const res = await request(app.getHttpServer()).get('/.well-known/jwks.json').expect(200);
      expect(res.body.keys[0].kid).toBe(KID);
    });

    it('answers 404 problem+json for an /api/v1 prefix no app owns', async () => {
      const res = await request(app.getHttpServer()).get('/api/v1/unknown/x').expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 404, title: expect.stringContaining('Not found') });
    });

    it('answers 401 problem+json for an invalid bearer token without reaching the app', async () => {
      const res = await request(app.getHttpServer())
        .post('/api/v1/correction/enrolments')
        .set('authorization', 'Bearer not-a-jwt')
        .send({})
        .expect(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    });
  });

  describe('health and metrics', () => {
    it('is live and ready once the supergraph is composed (public, no token)', async () => {
      await request(app.getHttpServer()).get('/health/live').expect(200);
      const ready = await request(app.getHttpServer()).get('/health/ready').expect(200);
      expect(ready.body.status).toBe('ok');
    });

    it('counts proxied requests in /metrics (served by the metrics listener)', async () => {
      await request(app.getHttpServer()).post('/api/v1/correction/enrolments').send({ probe: true }).expect(201);
      const metrics = await startMetricsServer(app.get<Registry>(METRICS_REGISTRY), 0);
      try {
        const res = await request(metrics).get('/metrics').expect(200);
        expect(res.text).toMatch(/http_request_duration_seconds_count\{.*method="POST".*status="201".*\} [1-9]/);
      } finally {
        metrics.close();
      }
    });

    it('issue 6 item 14: /metrics is not served on the public port', async () => {
      const res = await request(app.getHttpServer()).get('/metrics');
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('http_request_duration_seconds');
    });
  });

  describe('OpenAPI', () => {
    it('merges the apps\' documents at /api/docs-json, prefixing a colliding schema', async () => {
      const res = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/auth/login', '/api/v1/correction/enrolments', '/api/v1/alerts/acknowledgements']),
      );
      expect(Object.keys(res.body.components.schemas)).toEqual(expect.arrayContaining(['LoginDto', 'Correction_LoginDto']));
      expect(res.body.info.description).toContain('Not included: resettlement');
    });

    it('serves Swagger UI at /api/docs', async () => {
      const page = await request(app.getHttpServer()).get('/api/docs').expect(200);
      expect(page.text).toContain('swagger-ui-bundle.js');
      await request(app.getHttpServer()).get('/api/docs/swagger-ui-bundle.js').expect(200);
    });

    it('issue 8 item 8: the GraphQL sandbox page and every file it loads come from the gateway, no external URL', async () => {
      const page = await request(app.getHttpServer()).get('/graphql').set('accept', 'text/html').expect(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('归途 GraphQL');
      expect(page.text).not.toMatch(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i);
      const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(assets).toEqual(['/graphql-sandbox/graphiql.min.css', '/graphql-sandbox/react.production.min.js', '/graphql-sandbox/react-dom.production.min.js', '/graphql-sandbox/graphiql.min.js', '/graphql-sandbox/init.js']);
      for (const asset of assets) {
        const res = await request(app.getHttpServer()).get(asset).buffer(true).parse((r, done) => {
          let size = 0;
          r.on('data', (c: Buffer) => (size += c.length));
          r.on('end', () => done(null, size));
        });
        expect({ asset, status: res.status, type: res.headers['content-type'] }).toEqual({ asset, status: 200, type: expect.stringMatching(asset.endsWith('.css') ? /^text\/css/ : /^application\/javascript/) });
        expect(res.body).toBeGreaterThan(asset.endsWith('init.js') ? 100 : 5_000);
      }
      await request(app.getHttpServer()).get('/graphql-sandbox/package.json').expect(404);
      await request(app.getHttpServer()).get('/graphql-sandbox/..%2Fpackage.json').expect(404);
    });
  });
});

describe('gateway (medium) issue 13 S3: the query planner', () => {
  const keys: Keys = generateRsaKeyPairSync(2048);
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    upstreams = await startUpstreams(keys, GATEWAY_SECRET);
  });

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await Promise.all(Object.values(upstreams ?? {}).map((u) => u.close()));
  });

  const urls = () => Object.fromEntries(Object.entries(upstreams).map(([k, v]) => [k, v.url]));

  it('plans with Hive Router\'s Rust planner by default, and refuses a planner it does not know', () => {
    expect(configFor(urls()).GATEWAY_QUERY_PLANNER).toBe('rust');
    expect(() => configFor(urls(), { GATEWAY_QUERY_PLANNER: 'fastest' })).toThrow(/GATEWAY_QUERY_PLANNER/);
  });

  it.each(['rust', 'javascript'])('GATEWAY_QUERY_PLANNER=%s: a query across two subgraphs, and two callers at once each with their own answer', async (planner) => {
    const app = await createGatewayApp({ config: configFor(urls(), { SUBGRAPH_SHARED_SECRET: GATEWAY_SECRET, GATEWAY_QUERY_PLANNER: planner }), logger: false });
    apps.push(app);
    const res = await gql(app, '{ correctionSubject(id: "s-9") { id status person { key maskedName } } }').expect(200);
    expect(res.body).toEqual({ data: { correctionSubject: { id: 's-9', status: 'PENDING_REPORT', person: { key: 'pk-42', maskedName: '张*42' } } } });
    const a = sign(keys, { towns: ['104'] });
    const b = sign(keys, { towns: ['105'] }, 'u-2');
    const [ra, rb] = await Promise.all(
      [a, b].map((t) => gql(app, '{ slowWhoami { authorization } }').set('authorization', `Bearer ${t}`).expect(200)),
    );
    expect([ra.body.data.slowWhoami.authorization, rb.body.data.slowWhoami.authorization]).toEqual([`Bearer ${a}`, `Bearer ${b}`]);
  });
});

describe('gateway (medium) with a composed supergraph file and an upstream down', () => {
  const keys: Keys = generateRsaKeyPairSync(2048);
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let app: INestApplication;
  let dir: string;

  beforeAll(async () => {
    upstreams = await startUpstreams(keys);
    const urls: Record<string, string> = Object.fromEntries(Object.entries(upstreams).map(([k, v]) => [k, v.url]));
    const outcome = composeSupergraph([
      { name: 'identity', url: `${urls.identity}/graphql`, sdl: SDL.identity },
      { name: 'community-correction', url: `${urls.correction}/graphql`, sdl: SDL.correction },
      { name: 'resettlement', url: `${urls.resettlement}/graphql`, sdl: SDL.resettlement },
      { name: 'aftercare', url: `${urls.aftercare}/graphql`, sdl: SDL.aftercare },
      { name: 'alerts', url: 'http://unused.invalid/graphql', sdl: SDL.alerts },
    ]);
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
    dir = mkdtempSync(join(tmpdir(), 'gw-'));
    const path = join(dir, `supergraph-${randomUUID()}.graphql`);
    writeFileSync(path, outcome.supergraphSdl);
    await upstreams.alerts.close();
    const down = await closedPortUrl();
    app = await createGatewayApp({
      config: configFor({ ...urls, alerts: down }, { SUPERGRAPH_PATH: path, NODE_ENV: 'production', SUBGRAPH_SHARED_SECRET: GATEWAY_SECRET }),
      logger: false,
    });
  });

  afterAll(async () => {
    await app?.close();
    const { alerts: _closed, ...rest } = upstreams ?? {};
    await Promise.all(Object.values(rest).map((u) => u.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the federated query from the supergraph file', async () => {
    const res = await gql(app, '{ correctionSubject(id: "s-2") { id person { maskedName } } }').expect(200);
    expect(res.body.data.correctionSubject).toEqual({ id: 's-2', person: { maskedName: '张*42' } });
  });

  it('answers 502 problem+json when the owning app is down', async () => {
    const res = await request(app.getHttpServer()).post('/api/v1/alerts/acknowledgements').send({}).expect(502);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 502 });
  });

  it('leaves the down app out of the merged docs and says so', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).not.toContain('/api/v1/alerts/acknowledgements');
    expect(res.body.info.description).toMatch(/Not included: alerts \(unreachable/);
  });

  it('production: introspection is off and field suggestions are hidden', async () => {
    const intro = await gql(app, '{ __schema { types { name } } }');
    expect(intro.status).toBe(400);
    expect(JSON.stringify(intro.body.errors)).toMatch(/introspection/i);
    const typo = await gql(app, '{ correctionSubjec(id: "x") { id } }');
    expect(JSON.stringify(typo.body.errors)).not.toMatch(/Did you mean/);
  });

  it('issue 8 item 8: production serves no GraphQL sandbox (no landing page, no sandbox files)', async () => {
    const page = await request(app.getHttpServer()).get('/graphql').set('accept', 'text/html');
    expect(page.text ?? '').not.toContain('graphiql');
    await request(app.getHttpServer()).get('/graphql-sandbox/graphiql.min.js').expect(404);
  });
});

describe('gateway (medium) started before a subgraph is up', () => {
  const keys: Keys = generateRsaKeyPairSync(2048);
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let late: FakeUpstream | undefined;
  let app: INestApplication | undefined;

  afterAll(async () => {
    await app?.close();
    const { aftercare: _replaced, ...rest } = upstreams ?? {};
    await Promise.all([...Object.values(rest), late].map((u) => u?.close()));
  });

  it('waits for the missing subgraph (retrying its /health/live), then composes and serves', async () => {
    upstreams = await startUpstreams(keys);
    await upstreams.aftercare.close();
    const lateUrl = await closedPortUrl();
    const urls: Record<string, string> = Object.fromEntries(Object.entries(upstreams).map(([k, v]) => [k, v.url]));
    let settled = false;
    const booting = createGatewayApp({
      config: configFor({ ...urls, aftercare: lateUrl }),
      logger: false,
    }).finally(() => {
      settled = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(settled).toBe(false);
    late = await startFakeUpstream({
      name: 'aftercare',
      sdl: SDL.aftercare,
      resolvers: { Query: { aftercarePing: () => 'pong' } },
      port: Number(new URL(lateUrl).port),
    });
    app = await booting;
    const res = await gql(app, '{ aftercarePing alertsPing }').expect(200);
    expect(res.body.data).toEqual({ aftercarePing: 'pong', alertsPing: null });
  });
});

/** POST raw bytes (supertest would re-encode a Buffer sent as JSON). */
async function rawPost(app: INestApplication, path: string, body: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  const server = app.getHttpServer() as Server;
  const listening = server.listening ? server : await new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
  const { port } = listening.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('gateway (medium) issue 6 items 13 and 14: bad input at the edge, no internals in errors', () => {
  const keys: Keys = generateRsaKeyPairSync(2048);
  let upstreams: Awaited<ReturnType<typeof startUpstreams>>;
  let app: INestApplication;
  let dir: string;
  let down: string;

  beforeAll(async () => {
    upstreams = await startUpstreams(keys);
    const urls: Record<string, string> = Object.fromEntries(Object.entries(upstreams).map(([k, v]) => [k, v.url]));
    const outcome = composeSupergraph([
      { name: 'identity', url: `${urls.identity}/graphql`, sdl: SDL.identity },
      { name: 'community-correction', url: `${urls.correction}/graphql`, sdl: SDL.correction },
      { name: 'resettlement', url: `${urls.resettlement}/graphql`, sdl: SDL.resettlement },
      { name: 'aftercare', url: `${urls.aftercare}/graphql`, sdl: SDL.aftercare },
      { name: 'alerts', url: `${urls.alerts}/graphql`, sdl: SDL.alerts },
    ]);
    if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
    dir = mkdtempSync(join(tmpdir(), 'gw-'));
    const path = join(dir, `supergraph-${randomUUID()}.graphql`);
    writeFileSync(path, outcome.supergraphSdl);
    await upstreams.aftercare.close();
    down = await closedPortUrl();
    // development mode, the default of `npm start`: the policy must hold there too
    app = await createGatewayApp({
      config: configFor({ ...urls, aftercare: down }, { SUPERGRAPH_PATH: path, NODE_ENV: 'development' }),
      logger: false,
    });
  });

  afterAll(async () => {
    await app?.close();
    const { aftercare: _closed, ...rest } = upstreams ?? {};
    await Promise.all(Object.values(rest).map((u) => u.close()));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const post = (body: string | Buffer, type = 'application/json') =>
    request(app.getHttpServer()).post('/api/v1/correction/enrolments').set('content-type', type).send(body);

  it('issue 6 item 14: a GraphQL error for a stopped subgraph names no address, port or stack, and carries the request id', async () => {
    const res = await gql(app, '{ aftercarePing }').set('x-request-id', 'req-down-1');
    const text = JSON.stringify(res.body);
    expect(res.body.errors?.length).toBeGreaterThan(0);
    const port = new URL(down).port;
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain(port);
    expect(text).not.toMatch(/ECONNREFUSED|stacktrace|\bat .*\(|https?:\/\//);
    expect(res.body.errors[0].extensions.requestId).toBe('req-down-1');
  });

  it('issue 6 item 13: an unknown operationName is a 400-class error, not a 500', async () => {
    const res = await request(app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: 'query A { correctionSubject(id: "s-1") { id } }', operationName: 'Nope' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
  });

  it('issue 6 item 13: a NUL in GraphQL variables or in a string literal is BAD_USER_INPUT', async () => {
    const vars = await request(app.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .send({ query: 'query A($id: ID!) { correctionSubject(id: $id) { id } }', variables: { id: 'a\u0000b' } });
    expect(vars.status).toBe(400);
    const literal = await gql(app, '{ correctionSubject(id: "a\\u0000b") { id } }');
    expect(literal.status).toBe(400);
    expect(literal.body.errors[0].message).toMatch(/control character/);
  });

  it('issue 6 item 13: the edge refuses JSON nested 5,000 deep with 400 problem+json before the app sees it', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const res = await post(`{"person":${deep}}`).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors[0].field).toMatch(/^person/);
  });

  it('issue 6 item 13: the edge refuses a NUL byte and invalid UTF-8 in a body with 400', async () => {
    const nul = await post(JSON.stringify({ person: { name: 'a\u0000b' } })).expect(400);
    expect(nul.body.errors[0].field).toBe('person.name');
    const bad = await rawPost(app, '/api/v1/correction/enrolments', Buffer.concat([Buffer.from('{"person":{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]));
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/UTF-8/);
  });

  it('issue 6 item 13: the edge refuses a body over 2 MB with 413', async () => {
    const res = await post(JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024 + 10) }));
    expect(res.status).toBe(413);
  });

  it('a good body still reaches the app byte for byte', async () => {
    const res = await post(JSON.stringify({ person: { name: '王某\n' }, sentenceType: 'PROBATION' })).expect(201);
    expect(res.body.echo).toEqual({ person: { name: '王某\n' }, sentenceType: 'PROBATION' });
  });
});

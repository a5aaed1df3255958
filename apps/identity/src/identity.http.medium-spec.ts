import type { INestApplication } from '@nestjs/common';
import { createPublicKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as jwt from 'jsonwebtoken';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AgencyKind, Role, defaultPartnerScopes } from '@homeward/domain';
import { createTestDatabase, flushRedisPrefix, storeOfficialHolidayTable, testRedisUrl, type TestDatabase } from '@homeward/testing';
import { totpCode } from './common/totp';
import { STRONG_PASSWORD, testIdentityEnv } from './test-support.kit-spec';
import type { UsersService } from './users/users.service';
import type { PartnersService } from './partners/partners.service';

jest.setTimeout(120_000);

/**
 * The identity app as it runs (createApp: config, validation, filters, guard, GraphQL subgraph), over
 * HTTP with supertest, on a fresh database and Redis prefix.
 */
describe('identity over HTTP', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let ds: DataSource;
  const saved = { ...process.env };
  let redisPrefix: string;

  let officerToken: string;
  let auditorToken: string;
  let securityToken: string;
  let court: { clientId: string; clientSecret: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = testIdentityEnv(db.url);
    redisPrefix = env.REDIS_PREFIX;
    Object.assign(process.env, env);
    delete process.env.IDENTITY_URL;
    // Loaded after the environment is set: the config is read when the module is built.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createApp } = require('@homeward/platform') as typeof import('@homeward/platform');
    const { AppModule } = require('./app.module') as typeof import('./app.module');
    const { UsersService: Users } = require('./users/users.service') as typeof import('./users/users.service');
    const { PartnersService: Partners } = require('./partners/partners.service') as typeof import('./partners/partners.service');
    const { DataSource: DS } = require('typeorm') as typeof import('typeorm');
    /* eslint-enable @typescript-eslint/no-require-imports */
    app = await createApp(AppModule, { name: 'identity', defaultPort: 3001, swagger: { title: 'identity' }, logger: false });
    http = app.getHttpServer();
    ds = app.get(DS);
    const users = app.get<UsersService>(Users);
    const partners = app.get<PartnersService>(Partners);
    const actor = { system: 'test' };
    await users.create({ username: 'officer.xxk', password: STRONG_PASSWORD, roles: [Role.TOWN_OFFICER], towns: ['104', '107'] }, actor);
    const auditor = await users.create({ username: 'auditor', password: STRONG_PASSWORD, roles: [Role.AUDITOR] }, actor);
    const security = await users.create({ username: 'security', password: STRONG_PASSWORD, roles: [Role.SECURITY_ADMIN] }, actor);
    const created = await partners.create({ kind: 'COURT', name: '江阴市人民法院', agencyId: 'JY-COURT' }, actor);
    court = { clientId: created.client.clientId, clientSecret: created.clientSecret };

    officerToken = await login('officer.xxk');
    auditorToken = await login('auditor', auditor.totpSecret);
    securityToken = await login('security', security.totpSecret);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    if (redisPrefix) await flushRedisPrefix(testRedisUrl(), redisPrefix);
    process.env = saved;
  });

  async function login(username: string, totpSecret?: string): Promise<string> {
    const body: Record<string, string> = { username, password: STRONG_PASSWORD };
    if (totpSecret) body.totp = totpCode(totpSecret, new Date());
    const res = await request(http).post('/api/v1/auth/login').send(body).expect(200);
    return (res.body as { accessToken: string }).accessToken;
  }

  async function gql(token: string | undefined, query: string, variables?: Record<string, unknown>) {
    const req = request(http).post('/graphql').set('content-type', 'application/json');
    if (token) req.set('authorization', `Bearer ${token}`);
    const res = await req.send({ query, variables });
    return res.body as { data?: Record<string, unknown>; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  }

  describe('POST /api/v1/auth/login', () => {
    it('answers { accessToken, expiresIn }', async () => {
      const res = await request(http).post('/api/v1/auth/login').send({ username: 'officer.xxk', password: STRONG_PASSWORD }).expect(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), expiresIn: 900 });
    });

    it('answers the same generic 401 for a wrong password, an unknown user, a missing TOTP and an empty body', async () => {
      const bodies = [
        { username: 'officer.xxk', password: 'Wrong-Password-1' },
        { username: 'no.such.user', password: STRONG_PASSWORD },
        { username: 'auditor', password: STRONG_PASSWORD },
        {},
      ];
      const details = new Set<string>();
      for (const body of bodies) {
        const res = await request(http).post('/api/v1/auth/login').send(body).expect(401);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        details.add(JSON.stringify({ title: res.body.title, detail: res.body.detail }));
      }
      expect([...details]).toEqual([JSON.stringify({ title: 'Unauthorized / 未认证', detail: 'invalid credentials / 用户名或密码错误' })]);
    });
  });

  describe('refresh and logout', () => {
    it('refresh gives a new token for the same session; after logout refresh is refused', async () => {
      const token = await login('officer.xxk');
      const refreshed = await request(http).post('/api/v1/auth/refresh').set('authorization', `Bearer ${token}`).expect(200);
      const fresh = (refreshed.body as { accessToken: string }).accessToken;
      expect((jwt.decode(fresh) as { sid: string }).sid).toBe((jwt.decode(token) as { sid: string }).sid);
      await request(http).post('/api/v1/auth/logout').set('authorization', `Bearer ${fresh}`).expect(204);
      await request(http).post('/api/v1/auth/refresh').set('authorization', `Bearer ${fresh}`).expect(401);
      await request(http).post('/api/v1/auth/logout').expect(401);
    });
  });

  describe('issue 6 item 13: bad input to the login and token routes', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    it.each(['/api/v1/auth/login', '/api/v1/oauth/token', '/api/v1/auth/refresh'])('%s: JSON nested 5,000 deep is a 400 problem+json', async (path) => {
      const res = await request(http).post(path).set('content-type', 'application/json').send(`{"username":${deep}}`);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    });

    it('a NUL in a username (JSON) or a client_id (form) is a 400, not a failed query', async () => {
      const events = Number((await ds.query(`SELECT count(*) AS n FROM audit.events`))[0].n);
      const json = await request(http).post('/api/v1/auth/login').send({ username: 'officer\u0000.xxk', password: STRONG_PASSWORD });
      expect(json.status).toBe(400);
      const form = await request(http)
        .post('/api/v1/oauth/token')
        .type('form')
        .send(`grant_type=client_credentials&client_id=${encodeURIComponent('a\u0000b')}&client_secret=x`);
      expect(form.status).toBe(400);
      expect(Number((await ds.query(`SELECT count(*) AS n FROM audit.events`))[0].n)).toBe(events);
    });
  });

  describe('POST /api/v1/oauth/token', () => {
    function verifyWithJwks(token: string, jwks: { keys: Array<{ kid: string }> }) {
      const kid = jwt.decode(token, { complete: true })!.header.kid;
      const jwk = jwks.keys.find((k) => k.kid === kid);
      expect(jwk).toBeDefined();
      return jwt.verify(token, createPublicKey({ key: jwk as never, format: 'jwk' }), {
        algorithms: ['RS256'],
        issuer: 'homeward-identity',
        audience: 'homeward',
      }) as Record<string, unknown>;
    }

    it('accepts a form body and answers per RFC 6749; the JWKS verifies the token', async () => {
      const res = await request(http)
        .post('/api/v1/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: court.clientId, client_secret: court.clientSecret })
        .expect(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
      const jwks = await request(http).get('/.well-known/jwks.json').expect(200);
      const claims = verifyWithJwks(res.body.access_token, jwks.body);
      expect(claims).toMatchObject({ sub: court.clientId, kind: 'PARTNER', roles: ['PARTNER'], agk: 'COURT', agi: 'JY-COURT' });
    });

    it('issue 6 item 15: a client created without scopes gets every scope of its kind in its tokens; a scope of another kind is refused', async () => {
      const res = await request(http)
        .post('/api/v1/oauth/token')
        .send({ grant_type: 'client_credentials', client_id: court.clientId, client_secret: court.clientSecret })
        .expect(200);
      const jwks = await request(http).get('/.well-known/jwks.json').expect(200);
      expect(verifyWithJwks(res.body.access_token, jwks.body).scp).toEqual(defaultPartnerScopes(AgencyKind.COURT));
      const refused = await gql(
        securityToken,
        `mutation { createPartnerClient(input: { kind: PRISON, name: "监狱", scopes: ["correction.location-fixes"] }) { client { clientId } } }`,
      );
      expect(refused.data?.createPartnerClient ?? null).toBeNull();
      expect(refused.errors?.[0]?.message).toContain('correction.location-fixes');
    });

    it('accepts a JSON body and HTTP Basic client authentication', async () => {
      await request(http)
        .post('/api/v1/oauth/token')
        .send({ grant_type: 'client_credentials', client_id: court.clientId, client_secret: court.clientSecret })
        .expect(200);
      await request(http)
        .post('/api/v1/oauth/token')
        .type('form')
        .auth(court.clientId, court.clientSecret)
        .send({ grant_type: 'client_credentials' })
        .expect(200);
    });

    it('invalid_client 401 for a wrong secret or unknown client; unsupported_grant_type 400; invalid_request 400', async () => {
      const wrong = await request(http)
        .post('/api/v1/oauth/token')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: court.clientId, client_secret: 'nope' })
        .expect(401);
      expect(wrong.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
      await request(http)
        .post('/api/v1/oauth/token')
        .send({ grant_type: 'client_credentials', client_id: 'court-unknown', client_secret: 'x' })
        .expect(401);
      const grant = await request(http)
        .post('/api/v1/oauth/token')
        .type('form')
        .send({ grant_type: 'password', client_id: court.clientId, client_secret: court.clientSecret })
        .expect(400);
      expect(grant.body.error).toBe('unsupported_grant_type');
      const missing = await request(http).post('/api/v1/oauth/token').type('form').send({}).expect(400);
      expect(missing.body.error).toBe('invalid_request');
    });

    it('the partner token is accepted by identity itself (local JWKS provider)', async () => {
      const res = await request(http)
        .post('/api/v1/oauth/token')
        .send({ grant_type: 'client_credentials', client_id: court.clientId, client_secret: court.clientSecret })
        .expect(200);
      const me = await gql(res.body.access_token, '{ me { id kind roles agencyKind towns { code } } }');
      expect(me.data?.me).toEqual({ id: court.clientId, kind: 'PARTNER', roles: ['PARTNER'], agencyKind: 'COURT', towns: [] });
    });
  });

  describe('GraphQL', () => {
    it('me: the caller with town names', async () => {
      const res = await gql(officerToken, '{ me { username kind roles towns { code name } } }');
      expect(res.data?.me).toEqual({
        username: 'officer.xxk',
        kind: 'STAFF',
        roles: ['TOWN_OFFICER'],
        towns: [
          { code: '104', name: '徐霞客镇' },
          { code: '107', name: '华士镇' },
        ],
      });
    });

    it('no token → UNAUTHENTICATED', async () => {
      const res = await gql(undefined, '{ me { username } }');
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('auditEvents: AUDITOR only; filtered, paginated, and the read itself is audited', async () => {
      const denied = await gql(officerToken, '{ auditEvents { edges { cursor } } }');
      expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const deniedAdmin = await gql(securityToken, '{ auditEvents { edges { cursor } } }');
      expect(deniedAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

      const query = `query($filter: AuditEventFilter, $first: Int, $after: String) {
        auditEvents(filter: $filter, first: $first, after: $after) {
          edges { cursor node { id action outcome actorId entityType details } }
          pageInfo { hasNextPage endCursor }
        }
      }`;
      const page1 = await gql(auditorToken, query, { filter: { action: 'auth.login', outcome: 'SUCCESS' }, first: 2 });
      expect(page1.errors).toBeUndefined();
      const conn1 = page1.data!.auditEvents as {
        edges: Array<{ cursor: string; node: { id: string; action: string; outcome: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
      expect(conn1.edges).toHaveLength(2);
      expect(conn1.edges.every((e) => e.node.action === 'auth.login' && e.node.outcome === 'SUCCESS')).toBe(true);
      expect(conn1.pageInfo.hasNextPage).toBe(true);
      const page2 = await gql(auditorToken, query, { filter: { action: 'auth.login', outcome: 'SUCCESS' }, first: 2, after: conn1.pageInfo.endCursor });
      const conn2 = page2.data!.auditEvents as typeof conn1;
      expect(Number(conn2.edges[0].node.id)).toBeLessThan(Number(conn1.edges[1].node.id));

      const prefix = await gql(auditorToken, query, { filter: { action: 'user.*' }, first: 50 });
      const actions = (prefix.data!.auditEvents as typeof conn1).edges.map((e) => e.node.action);
      expect(actions.length).toBeGreaterThanOrEqual(3);
      expect(actions.every((a) => a.startsWith('user.'))).toBe(true);

      const reads: Array<{ actor_id: string }> = await ds.query(`SELECT actor_id FROM audit.events WHERE action = 'audit.events.read'`);
      expect(reads.length).toBeGreaterThanOrEqual(3);
      const denials: Array<{ n: number }> = await ds.query(`SELECT count(*)::int AS n FROM audit.events WHERE outcome = 'DENIED'`);
      expect(denials[0].n).toBeGreaterThanOrEqual(2);
    });

    it('inviteStaffUser and createPartnerClient: SECURITY_ADMIN only', async () => {
      const mutation = `mutation($input: InviteStaffUserInput!) { inviteStaffUser(input: $input) { enrolment { username roles towns { code } status } enrolmentCode } }`;
      const input = { username: 'officer.hs', roles: ['TOWN_OFFICER'], towns: ['107'] };
      const refused = await gql(officerToken, mutation, { input });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const ok = await gql(securityToken, mutation, { input });
      expect(ok.errors).toBeUndefined();
      expect(ok.data?.inviteStaffUser).toEqual({
        enrolment: { username: 'officer.hs', roles: ['TOWN_OFFICER'], towns: [{ code: '107' }], status: 'OPEN' },
        enrolmentCode: expect.any(String),
      });
      const bad = await gql(securityToken, mutation, { input: { ...input, username: 'officer.bad', towns: ['999'] } });
      expect(bad.errors?.[0]?.extensions?.code).toBe('TOWN_UNKNOWN');

      const partner = await gql(
        securityToken,
        `mutation { createPartnerClient(input: { kind: PRISON, name: "江苏省江阴监狱" }) { clientSecret client { clientId agencyKind } } }`,
      );
      expect(partner.data?.createPartnerClient).toMatchObject({ clientSecret: expect.any(String), client: { agencyKind: 'PRISON' } });
    });

    it('rotateSigningKey: SECURITY_ADMIN only; the old key stays in the JWKS and old tokens still work', async () => {
      const before = await request(http).get('/.well-known/jwks.json').expect(200);
      const refused = await gql(officerToken, 'mutation { rotateSigningKey { kid } }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      const rotated = await gql(securityToken, 'mutation { rotateSigningKey { kid active } }');
      const kid = (rotated.data?.rotateSigningKey as { kid: string }).kid;
      const after = await request(http).get('/.well-known/jwks.json').expect(200);
      const kids = (after.body.keys as Array<{ kid: string }>).map((k) => k.kid);
      expect(kids).toEqual(expect.arrayContaining([kid, ...(before.body.keys as Array<{ kid: string }>).map((k) => k.kid)]));
      const me = await gql(officerToken, '{ me { username } }');
      expect(me.data?.me).toEqual({ username: 'officer.xxk' });
      const fresh = await login('officer.xxk');
      expect(jwt.decode(fresh, { complete: true })!.header.kid).toBe(kid);
    });

    it('writes the subgraph SDL to apps/identity/schema.gql', () => {
      const file = resolve(__dirname, '..', 'schema.gql');
      expect(existsSync(file)).toBe(true);
      const sdl = readFileSync(file, 'utf8');
      expect(sdl).toContain('auditEvents(');
      expect(sdl).toContain('type Me');
    });
  });

  it('issue 7 item 10: identity reads the reference data in force (a holiday table stored by the city), with its own role', async () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { ReferenceLoader } = require('@homeward/platform') as typeof import('@homeward/platform');
    const { activeCalendar } = require('@homeward/domain') as typeof import('@homeward/domain');
    /* eslint-enable @typescript-eslint/no-require-imports */
    await storeOfficialHolidayTable(db.url, { year: 2031, holidays: ['2031-06-02'] });
    expect(await app.get(ReferenceLoader).reload()).toBe(true);
    expect(activeCalendar().isWorkingDay('2031-06-02')).toBe(false);
  });
});

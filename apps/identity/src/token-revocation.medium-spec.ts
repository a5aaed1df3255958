import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import * as jwt from 'jsonwebtoken';
import request from 'supertest';
import { Role } from '@homeward/domain';
import { createTestDatabase, flushRedisPrefix, testRedisUrl, type TestDatabase } from '@homeward/testing';
import type { Principal } from '@homeward/platform';
import { totpCode } from './common/totp';
import type { PartnersService } from './partners/partners.service';
import type { SigningKeysService } from './keys/signing-keys.service';
import { STRONG_PASSWORD, testIdentityEnv } from './test-support.kit-spec';
import type { UsersService } from './users/users.service';

jest.setTimeout(120_000);

/**
 * Issue 6 item 8: identity as it runs (HTTP on a real port, CLOCK_CONTROL on the shared Redis prefix) and a
 * second app that verifies tokens through libs/platform auth exactly as the services do (JWKS over HTTP from
 * IDENTITY_URL, the revocation list on Redis). What identity revokes must be refused by the other app
 * within a second.
 */
describe('token revocation across apps (issue 6 item 8)', () => {
  let db: TestDatabase;
  let identity: INestApplication;
  let other: NestExpressApplication;
  let redis: Redis;
  let prefix: string;
  let users: UsersService;
  let partners: PartnersService;
  let keys: SigningKeysService;
  let securityToken: string;
  let platformModule: typeof import('@homeward/platform');
  const saved = { ...process.env };
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = testIdentityEnv(db.url, { CLOCK_CONTROL: 'true', PARTNER_SECRET_GRACE_HOURS: '24' });
    prefix = env.REDIS_PREFIX;
    redis = new Redis(testRedisUrl());
    Object.assign(process.env, env);
    delete process.env.IDENTITY_URL;
    /* eslint-disable @typescript-eslint/no-require-imports */
    const platform = require('@homeward/platform') as typeof import('@homeward/platform');
    platformModule = platform;
    const { AppModule } = require('./app.module') as typeof import('./app.module');
    const { UsersService: Users } = require('./users/users.service') as typeof import('./users/users.service');
    const { PartnersService: Partners } = require('./partners/partners.service') as typeof import('./partners/partners.service');
    const { SigningKeysService: Keys } = require('./keys/signing-keys.service') as typeof import('./keys/signing-keys.service');
    /* eslint-enable @typescript-eslint/no-require-imports */
    identity = await platform.createApp(AppModule, { name: 'identity', defaultPort: 0, logger: false });
    await identity.listen(0, '127.0.0.1');
    const identityUrl = `http://127.0.0.1:${(identity.getHttpServer().address() as AddressInfo).port}`;
    users = identity.get<UsersService>(Users);
    partners = identity.get<PartnersService>(Partners);
    keys = identity.get<SigningKeysService>(Keys);

    @Controller('api/v1')
    class WhoAmIController {
      @Get('whoami')
      whoami(@platform.CurrentPrincipal() p: Principal): { sub: string } {
        return { sub: p.sub };
      }
    }
    const otherConfig = platform.loadConfig(platform.JwksConfig, {
      NODE_ENV: 'test',
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      IDENTITY_URL: identityUrl,
      CLOCK_CONTROL: 'true',
      LOG_LEVEL: 'silent',
    });
    @Module({
      imports: [platform.PlatformModule.forService({ service: 'other-app', config: platform.JwksConfig, configInstance: otherConfig })],
      controllers: [WhoAmIController],
    })
    class OtherAppModule {}
    other = await platform.createApp(OtherAppModule, { name: 'other-app', defaultPort: 0, logger: false });

    const actor = { system: 'test' };
    const security = await users.create({ username: 'security', password: STRONG_PASSWORD, roles: [Role.SECURITY_ADMIN] }, actor);
    securityToken = await login('security', security.totpSecret);
  });

  afterAll(async () => {
    await other?.close();
    await identity?.close();
    await db?.drop();
    if (prefix) await flushRedisPrefix(testRedisUrl(), prefix);
    redis?.disconnect();
    process.env = saved;
  });

  async function login(username: string, totpSecret?: string): Promise<string> {
    const body: Record<string, string> = { username, password: STRONG_PASSWORD };
    if (totpSecret) body.totp = totpCode(totpSecret, new Date(Date.now() + Number((await redis.get(`${prefix}:clock:offset-ms`)) ?? 0)));
    const res = await request(identity.getHttpServer()).post('/api/v1/auth/login').send(body).expect(200);
    return (res.body as { accessToken: string }).accessToken;
  }

  async function officer(): Promise<{ id: string; username: string }> {
    n += 1;
    const created = await users.create(
      { username: `officer.rev.${n}`, password: STRONG_PASSWORD, roles: [Role.TOWN_OFFICER], towns: ['104'] },
      { system: 'test' },
    );
    return { id: created.user.id, username: created.user.username };
  }

  const whoami = (token: string) => request(other.getHttpServer()).get('/api/v1/whoami').set('authorization', `Bearer ${token}`);

  /** Polls the other app until it refuses `token`; returns how long that took (ms). */
  async function msUntilRefused(token: string, withinMs = 1000): Promise<number> {
    const t0 = Date.now();
    for (;;) {
      const res = await whoami(token);
      if (res.status === 401) return Date.now() - t0;
      if (Date.now() - t0 > withinMs) throw new Error(`still accepted after ${withinMs} ms (HTTP ${res.status})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function gql(query: string, variables?: Record<string, unknown>) {
    const res = await request(identity.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${securityToken}`)
      .send({ query, variables });
    return res.body as { data?: Record<string, Record<string, unknown>>; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  }

  async function setOffsetMs(ms: number): Promise<void> {
    await redis.set(`${prefix}:clock:offset-ms`, String(ms));
    await new Promise((r) => setTimeout(r, 600)); // both apps poll the offset every 250 ms
  }

  it('issue 6 item 8: after logout a previously valid token is refused by another app within a second', async () => {
    const { username } = await officer();
    const token = await login(username);
    await whoami(token).expect(200);
    await request(identity.getHttpServer()).post('/api/v1/auth/logout').set('authorization', `Bearer ${token}`).expect(204);
    expect(await msUntilRefused(token)).toBeLessThan(1000);
  });

  it('issue 13: the other app refuses a logged-out token from its revocation mirror — within a second, without a Redis read per request', async () => {
    const mirror = other.get(platformModule.RevocationMirrorService);
    const deadline = Date.now() + 5_000;
    while (!mirror.ready && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(mirror.ready).toBe(true);
    const redisRead = jest.spyOn(other.get(platformModule.TokenRevocations), 'revokedReason');
    const { username } = await officer();
    const token = await login(username);
    await whoami(token).expect(200);
    await request(identity.getHttpServer()).post('/api/v1/auth/logout').set('authorization', `Bearer ${token}`).expect(204);
    expect(await msUntilRefused(token)).toBeLessThan(1000);
    expect(redisRead).not.toHaveBeenCalled();
    redisRead.mockRestore();
  });

  it('issue 6 item 8: after deactivation and after a password reset the tokens of every session are refused elsewhere within a second', async () => {
    const a = await officer();
    const tokens = [await login(a.username), await login(a.username)];
    for (const t of tokens) await whoami(t).expect(200);
    const deactivated = await gql(`mutation($id: ID!) { setUserActive(id: $id, active: false) { active } }`, { id: a.id });
    expect(deactivated.errors).toBeUndefined();
    for (const t of tokens) expect(await msUntilRefused(t)).toBeLessThan(1000);

    const b = await officer();
    const before = await login(b.username);
    await whoami(before).expect(200);
    const reset = await gql(`mutation($id: ID!) { resetPassword(id: $id, password: "Another-Strong-7") { id } }`, { id: b.id });
    expect(reset.errors).toBeUndefined();
    expect(await msUntilRefused(before)).toBeLessThan(1000);
  });

  it('issue 6 item 8: a token without exp, signed with the real active key, is refused by the other app and by identity', async () => {
    const { username } = await officer();
    const valid = jwt.decode(await login(username)) as Record<string, unknown>;
    const { kid, privateKey } = await keys.activeSigner();
    const claims = Object.fromEntries(Object.entries(valid).filter(([k]) => k !== 'exp' && k !== 'iss' && k !== 'aud'));
    const forever = jwt.sign(claims, privateKey, { algorithm: 'RS256', keyid: kid, issuer: 'homeward-identity', audience: 'homeward' });
    expect((jwt.decode(forever) as Record<string, unknown>).exp).toBeUndefined();
    await whoami(forever).expect(401);
    const me = await request(identity.getHttpServer())
      .post('/graphql')
      .set('content-type', 'application/json')
      .set('authorization', `Bearer ${forever}`)
      .send({ query: '{ me { id } }' });
    expect(me.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('issue 6 item 8: deactivating a partner client revokes its tokens everywhere; activated again it gets new ones', async () => {
    const { client, clientSecret } = await partners.create({ kind: 'POLICE', name: '江阴市公安局' }, { system: 'test' });
    const token = (secret: string) =>
      request(identity.getHttpServer()).post('/api/v1/oauth/token').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret });
    const issued = (await token(clientSecret).expect(200)).body.access_token as string;
    await whoami(issued).expect(200);
    const off = await gql(`mutation($c: ID!) { setPartnerClientActive(clientId: $c, active: false) { active } }`, { c: client.clientId });
    expect(off.data?.setPartnerClientActive).toEqual({ active: false });
    expect(await msUntilRefused(issued)).toBeLessThan(1000);
    expect((await token(clientSecret)).status).toBe(401);

    await setOffsetMs(2000); // tokens issued in the second of the deactivation are revoked too
    const on = await gql(`mutation($c: ID!) { setPartnerClientActive(clientId: $c, active: true) { active } }`, { c: client.clientId });
    expect(on.data?.setPartnerClientActive).toEqual({ active: true });
    const again = (await token(clientSecret).expect(200)).body.access_token as string;
    await whoami(again).expect(200);
    await whoami(issued).expect(401);
    await setOffsetMs(0);
  });

  it('issue 6 item 8: rotating a partner secret keeps the old one valid for PARTNER_SECRET_GRACE_HOURS, then only the new one works', async () => {
    const { client, clientSecret: oldSecret } = await partners.create({ kind: 'COURT', name: '江阴市人民法院' }, { system: 'test' });
    const token = (secret: string) =>
      request(identity.getHttpServer()).post('/api/v1/oauth/token').send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret });
    const rotated = await gql(`mutation($c: ID!) { rotatePartnerClientSecret(clientId: $c) { clientSecret previousSecretValidUntil client { clientId } } }`, {
      c: client.clientId,
    });
    expect(rotated.errors).toBeUndefined();
    const { clientSecret: newSecret, previousSecretValidUntil } = rotated.data!.rotatePartnerClientSecret as { clientSecret: string; previousSecretValidUntil: string };
    expect(newSecret).not.toBe(oldSecret);
    expect(new Date(previousSecretValidUntil).getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    await token(oldSecret).expect(200);
    await token(newSecret).expect(200);

    await setOffsetMs(24 * 3600_000 + 60_000);
    try {
      expect((await token(oldSecret)).status).toBe(401);
      await token(newSecret).expect(200);
    } finally {
      await setOffsetMs(0);
    }
  });
  // Last: retiring the key also ends the security admin's token.
  it('issue 6 item 8: a retired signing key is refused by the other app within a second of the published retirement', async () => {
    const { username } = await officer();
    const old = await login(username);
    const oldKid = jwt.decode(old, { complete: true })!.header.kid!;
    await whoami(old).expect(200); // the other app has the key cached now
    const rotated = await gql(`mutation { rotateSigningKey { kid } }`);
    expect(rotated.errors).toBeUndefined();
    await whoami(old).expect(200); // rotation alone keeps the old key valid
    const fresh = await login(username);
    await whoami(fresh).expect(200);
    const retired = await gql(`mutation($kid: ID!) { retireSigningKey(kid: $kid) { kid retiredAt } }`, { kid: oldKid });
    expect(retired.errors).toBeUndefined();
    expect(await msUntilRefused(old)).toBeLessThan(1000);
    await whoami(fresh).expect(200);
  });
});

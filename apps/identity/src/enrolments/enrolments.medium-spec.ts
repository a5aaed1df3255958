import type { INestApplication } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import * as jwt from 'jsonwebtoken';
import request from 'supertest';
import { Role } from '@homeward/domain';
import { createTestDatabase, flushRedisPrefix, testRedisUrl, type TestDatabase } from '@homeward/testing';
import { totpCode } from '../common/totp';
import { STRONG_PASSWORD, testIdentityEnv } from '../test-support.kit-spec';
import type { UsersService } from '../users/users.service';

jest.setTimeout(120_000);

type Gql = { data?: Record<string, Record<string, unknown> | null>; errors?: Array<{ message: string; extensions?: { code?: string } }> };

/** Issue 6 item 6: staff accounts made by a security admin, over HTTP (identity as it runs). */
describe('staff enrolment (issue 6 item 6)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let redis: Redis;
  let prefix: string;
  let securityA: string;
  let securityB: string;
  const saved = { ...process.env };
  let n = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = testIdentityEnv(db.url, { CLOCK_CONTROL: 'true', ENROLMENT_CODE_TTL_HOURS: '72' });
    prefix = env.REDIS_PREFIX;
    redis = new Redis(testRedisUrl());
    Object.assign(process.env, env);
    delete process.env.IDENTITY_URL;
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createApp } = require('@homeward/platform') as typeof import('@homeward/platform');
    const { AppModule } = require('../app.module') as typeof import('../app.module');
    const { UsersService: Users } = require('../users/users.service') as typeof import('../users/users.service');
    /* eslint-enable @typescript-eslint/no-require-imports */
    app = await createApp(AppModule, { name: 'identity', defaultPort: 0, logger: false });
    http = app.getHttpServer();
    const users = app.get<UsersService>(Users);
    const a = await users.create({ username: 'security.a', password: STRONG_PASSWORD, roles: [Role.SECURITY_ADMIN] }, { system: 'cli' });
    const b = await users.create({ username: 'security.b', password: STRONG_PASSWORD, roles: [Role.SECURITY_ADMIN] }, { system: 'cli' });
    securityA = await login('security.a', STRONG_PASSWORD, a.totpSecret);
    securityB = await login('security.b', STRONG_PASSWORD, b.totpSecret);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    if (prefix) await flushRedisPrefix(testRedisUrl(), prefix);
    redis?.disconnect();
    process.env = saved;
  });

  async function now(): Promise<Date> {
    return new Date(Date.now() + Number((await redis.get(`${prefix}:clock:offset-ms`)) ?? 0));
  }

  async function login(username: string, password: string, totpSecret?: string): Promise<string> {
    const body: Record<string, string> = { username, password };
    if (totpSecret) body.totp = totpCode(totpSecret, await now());
    const res = await request(http).post('/api/v1/auth/login').send(body);
    expect({ username, status: res.status }).toEqual({ username, status: 200 });
    return (res.body as { accessToken: string }).accessToken;
  }

  async function gql(token: string, query: string, variables?: Record<string, unknown>): Promise<Gql> {
    const res = await request(http).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${token}`).send({ query, variables });
    return res.body as Gql;
  }

  const INVITE = `mutation($input: InviteStaffUserInput!) {
    inviteStaffUser(input: $input) { enrolmentCode enrolment { id username roles status requestedBy approvedBy } }
  }`;
  const APPROVE = `mutation($id: ID!) { approveStaffEnrolment(id: $id) { id status approvedBy } }`;

  async function invite(token: string, roles: string[], towns: string[] = []) {
    n += 1;
    const username = `new.staff.${n}`;
    const res = await gql(token, INVITE, { input: { username, roles, towns } });
    expect(res.errors).toBeUndefined();
    const payload = res.data!.inviteStaffUser as { enrolmentCode: string; enrolment: { id: string; status: string; requestedBy: string } };
    return { username, code: payload.enrolmentCode, id: payload.enrolment.id, status: payload.enrolment.status, payload };
  }

  const enrol = (username: string, code: string, password = STRONG_PASSWORD) =>
    request(http).post('/api/v1/auth/enrol').send({ username, code, password });

  it('issue 6 item 6: SECURITY_ADMIN cannot make a CITY_ADMIN alone: the code works only after a second, different security admin approves', async () => {
    const inv = await invite(securityA, ['CITY_ADMIN']);
    expect(inv.status).toBe('PENDING_APPROVAL');
    expect(JSON.stringify(inv.payload)).not.toMatch(/totp/i);

    expect((await enrol(inv.username, inv.code)).status).toBe(422); // awaiting approval
    const self = await gql(securityA, APPROVE, { id: inv.id });
    expect(self.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await enrol(inv.username, inv.code)).status).toBe(422);

    const approved = await gql(securityB, APPROVE, { id: inv.id });
    expect(approved.data?.approveStaffEnrolment).toEqual({ id: inv.id, status: 'OPEN', approvedBy: 'security.b' });

    // The new user sets the password and receives the TOTP secret; neither admin ever saw them.
    const redeemed = await enrol(inv.username, inv.code).expect(201);
    expect(redeemed.body).toEqual({ username: inv.username, totpSecret: expect.any(String), otpauthUri: expect.stringMatching(/^otpauth:/) });
    const token = await login(inv.username, STRONG_PASSWORD, redeemed.body.totpSecret as string);
    expect((jwt.decode(token) as { roles: string[] }).roles).toEqual(['CITY_ADMIN']);

    // Single use.
    expect((await enrol(inv.username, inv.code, 'Another-Strong-7')).status).toBe(401);
  });

  it('issue 6 item 6: a SECURITY_ADMIN invitation needs the second admin too; a TOWN_OFFICER one does not', async () => {
    const sec = await invite(securityA, ['SECURITY_ADMIN']);
    expect(sec.status).toBe('PENDING_APPROVAL');
    const officer = await invite(securityA, ['TOWN_OFFICER'], ['104']);
    expect(officer.status).toBe('OPEN');
    const res = await enrol(officer.username, officer.code).expect(201);
    expect(res.body).toEqual({ username: officer.username });
    await login(officer.username, STRONG_PASSWORD);
  });

  it('issue 6 item 6: no account-creation path hands a security admin a password it chose or a TOTP secret', async () => {
    const old = await gql(
      securityA,
      `mutation { createUser(input: { username: "x.admin", password: "${STRONG_PASSWORD}", roles: [CITY_ADMIN] }) { totpSecret } }`,
    );
    expect(old.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const sdl = readFileSync(resolve(__dirname, '..', '..', 'schema.gql'), 'utf8');
    expect(sdl).not.toMatch(/totpSecret|otpauthUri/);
    expect(sdl).toContain('inviteStaffUser(');
  });

  it('issue 6 item 6: the code is refused for another username, after ENROLMENT_CODE_TTL_HOURS, and after cancellation', async () => {
    const a = await invite(securityA, ['TOWN_OFFICER'], ['107']);
    expect((await enrol('someone.else', a.code)).status).toBe(401);
    const cancelled = await invite(securityA, ['TOWN_OFFICER'], ['107']);
    const c = await gql(securityA, `mutation($id: ID!) { cancelStaffEnrolment(id: $id) { status } }`, { id: cancelled.id });
    expect(c.data?.cancelStaffEnrolment).toEqual({ status: 'CANCELLED' });
    expect((await enrol(cancelled.username, cancelled.code)).status).toBe(401);

    await redis.set(`${prefix}:clock:offset-ms`, String(72 * 3600_000 + 60_000));
    await new Promise((r) => setTimeout(r, 600));
    try {
      const expired = await enrol(a.username, a.code);
      expect(expired.status).toBe(401);
      expect(expired.body.detail).toBe('invalid or expired enrolment code / 注册码无效或已过期');
    } finally {
      await redis.set(`${prefix}:clock:offset-ms`, '0');
      await new Promise((r) => setTimeout(r, 600));
    }
  });
});

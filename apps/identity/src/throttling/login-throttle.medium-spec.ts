import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Role } from '@homeward/domain';
import { createTestDatabase, flushRedisPrefix, testRedisUrl, type TestDatabase } from '@homeward/testing';
import type { PartnersService } from '../partners/partners.service';
import type { LoginThrottle } from './login-throttle.service';
import { STRONG_PASSWORD, testIdentityEnv } from '../test-support.kit-spec';
import type { UsersService } from '../users/users.service';

jest.setTimeout(120_000);

/** The gateway's shared secret in this test (apps trust the gateway's client-IP header only with it). */
const GATEWAY_SECRET = 'test-gateway-secret-0123456789abcdef';

/**
 * Issue 6 item 9: the login and token endpoints over HTTP (identity as it runs), with small limits. The
 * client IP is sent the way the gateway forwards it: its client-IP header with the gateway secret (and
 * X-Forwarded-For, which a loopback proxy was trusted with before the gateway header existed).
 */
describe('rate limits and lockout of the credential endpoints (issue 6 item 9)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let http: ReturnType<INestApplication['getHttpServer']>;
  let users: UsersService;
  let partners: PartnersService;
  let throttle: LoginThrottle;
  let prefix: string;
  const saved = { ...process.env };
  let n = 0;
  let ipSeq = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = testIdentityEnv(db.url, {
      LOGIN_RATE_LIMIT_PER_IP: '6',
      LOGIN_RATE_LIMIT_PER_ACCOUNT: '10',
      LOGIN_CONCURRENCY_PER_IP: '2',
      SUBGRAPH_SHARED_SECRET: GATEWAY_SECRET,
      LOCKOUT_THRESHOLD: '3',
      LOCKOUT_MINUTES: '15',
    });
    prefix = env.REDIS_PREFIX;
    Object.assign(process.env, env);
    delete process.env.IDENTITY_URL;
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { createApp } = require('@homeward/platform') as typeof import('@homeward/platform');
    const { AppModule } = require('../app.module') as typeof import('../app.module');
    const { UsersService: Users } = require('../users/users.service') as typeof import('../users/users.service');
    const { PartnersService: Partners } = require('../partners/partners.service') as typeof import('../partners/partners.service');
    const { LoginThrottle: Throttle } = require('./login-throttle.service') as typeof import('./login-throttle.service');
    /* eslint-enable @typescript-eslint/no-require-imports */
    app = await createApp(AppModule, { name: 'identity', defaultPort: 0, logger: false });
    http = app.getHttpServer();
    users = app.get<UsersService>(Users);
    partners = app.get<PartnersService>(Partners);
    throttle = app.get<LoginThrottle>(Throttle);
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
    if (prefix) await flushRedisPrefix(testRedisUrl(), prefix);
    process.env = saved;
  });

  async function officer(): Promise<string> {
    n += 1;
    const username = `officer.rl.${n}`;
    await users.create({ username, password: STRONG_PASSWORD, roles: [Role.TOWN_OFFICER], towns: ['104'] }, { system: 'test' });
    return username;
  }

  /** A fresh documentation-range address per call (RFC 5737), so tests do not share IP buckets. */
  function newIp(): string {
    ipSeq += 1;
    return `203.0.113.${ipSeq}`;
  }

  const fromIp = (ip: string): Record<string, string> => ({
    'x-forwarded-for': ip,
    'x-homeward-client-ip': ip,
    'x-homeward-gateway-secret': GATEWAY_SECRET,
  });

  const login = (ip: string, username: string, password: string) =>
    request(http).post('/api/v1/auth/login').set(fromIp(ip)).send({ username, password });

  it('issue 6 item 9: a login burst from one IP answers 429 problem+json with Retry-After, while another IP (same or other user) still logs in', async () => {
    const victim = await officer();
    const attacker = newIp();
    const burst = await Promise.all(Array.from({ length: 12 }, () => login(attacker, victim, 'Wrong-Password-1')));
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(6);
    expect(limited[0].headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(limited[0].headers['retry-after'])).toBeGreaterThan(0);
    expect(limited[0].body).toMatchObject({ status: 429, retryAfterSeconds: expect.any(Number) });
    // Even the right password is refused from that address while it is limited …
    expect((await login(attacker, victim, STRONG_PASSWORD)).status).toBe(429);
    // … but not from another one: the same user, and another user.
    await login(newIp(), victim, STRONG_PASSWORD).expect(200);
    await login(newIp(), await officer(), STRONG_PASSWORD).expect(200);
  });

  it('issue 6 item 9: failures from an attacker’s IP lock that username for that IP only; its owner on another IP logs in', async () => {
    const victim = await officer();
    const attacker = newIp();
    for (let i = 0; i < 3; i++) await login(attacker, victim, 'Wrong-Password-1').expect(401);
    // Locked for the attacker's address, even with the right password …
    await login(attacker, victim, STRONG_PASSWORD).expect(401);
    // … not for the owner's.
    await login(newIp(), victim, STRONG_PASSWORD).expect(200);
  });

  it('issue 6 item 9: attempts on one username from many IPs meet the per-username limit (429)', async () => {
    const victim = await officer();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await login(newIp(), victim, 'Wrong-Password-1')).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('issue 6 item 9: a bad-secret burst on the token endpoint answers 429; the client from another IP still gets a token', async () => {
    const { client, clientSecret } = await partners.create({ kind: 'COURT', name: '江阴市人民法院' }, { system: 'test' });
    const token = (ip: string, secret: string) =>
      request(http)
        .post('/api/v1/oauth/token')
        .set(fromIp(ip))
        .send({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret });
    const attacker = newIp();
    const burst = await Promise.all(Array.from({ length: 10 }, () => token(attacker, 'not-the-secret')));
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(4);
    expect(limited[0].headers['retry-after']).toBeDefined();
    expect(limited[0].headers['content-type']).toMatch(/application\/problem\+json/);
    await token(newIp(), clientSecret).expect(200);
  });

  it('issue 6 item 9: at most LOGIN_CONCURRENCY_PER_IP argon2 verifications run at once per IP; the next answers 429 at once, another IP is not affected', async () => {
    const ip = newIp();
    const first = await throttle.acquireVerification(ip);
    const second = await throttle.acquireVerification(ip);
    const refused = await throttle.acquireVerification(ip).then(
      () => undefined,
      (e: { getStatus(): number }) => e.getStatus(),
    );
    expect(refused).toBe(429);
    const elsewhere = await throttle.acquireVerification(newIp());
    await first();
    const third = await throttle.acquireVerification(ip);
    await Promise.all([second(), third(), elsewhere()]);
  });
});

/**
 * The e2e harness itself (issue 2 item 11): startStack() boots the six apps as child processes on
 * a fresh database and Redis prefix, every app is ready, the gateway answers GraphQL, staff and
 * partner credentials made through the CLI work through the gateway, the clock offset lands in
 * Redis under the stack's prefix, and stop() leaves no process and no database behind.
 */
import { createServer, type Server } from 'node:http';
import Redis from 'ioredis';
import { Client } from 'pg';
import { startStack, testAdminDatabaseUrl, type Stack } from '@homeward/testing';

describe('startStack', () => {
  let stack: Stack;
  /** Someone else's server on the port first chosen for aftercare (answers 200 to everything). */
  let squatter: Server;
  let squattedPort: number;

  beforeAll(async () => {
    squatter = createServer((_req, res) => res.writeHead(200).end('{"status":"ok"}'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    squattedPort = (squatter.address() as { port: number }).port;
    stack = await startStack({ firstAttemptPorts: { aftercare: squattedPort } });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => squatter?.close(resolve));
  }, 60_000);

  it('a port taken between its choice and the app\'s listen (EADDRINUSE) is not mistaken for the app: the stack starts again on new ports', async () => {
    expect(new URL(stack.urls.aftercare).port).not.toBe(String(squattedPort));
    const response = await fetch(`${stack.urls.aftercare}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('has every app ready on its own port', async () => {
    const ports = new Set(Object.values(stack.urls).map((u) => new URL(u).port));
    expect(ports.size).toBe(6);
    for (const [name, url] of Object.entries(stack.urls)) {
      const response = await fetch(`${url}/health/ready`);
      expect({ name, status: response.status }).toEqual({ name, status: 200 });
    }
  });

  it('answers GraphQL through the gateway', async () => {
    const body = await stack.graphql(undefined, '{ __typename }');
    expect(body.data).toEqual({ __typename: 'Query' });
  });

  it('logs in a staff user made with createUser, with TOTP when the role needs it', async () => {
    const officer = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    expect(officer.totpSecret).toBeUndefined();
    expect(await stack.login(officer.username, officer.password)).toMatch(/^ey/);
    const admin = await stack.createUser({ role: 'CITY_ADMIN' });
    expect(admin.totpSecret).toBeTruthy();
    expect(await stack.login(admin.username, admin.password)).toMatch(/^ey/);
    await expect(stack.login(officer.username, 'wrong-Password-1')).rejects.toThrow(/HTTP 401/);
  }, 60_000);

  it('gives a partner token for an agency kind', async () => {
    expect(await stack.partnerToken('COURT')).toMatch(/^ey/);
  }, 60_000);

  it('moves the apps’ clock through Redis under its own prefix', async () => {
    const redis = new Redis(stack.redisUrl);
    try {
      await stack.setClockOffset(1000);
      await stack.advanceClock(500);
      expect(await redis.get(`${stack.redisPrefix}:clock:offset-ms`)).toBe('1500');
    } finally {
      redis.disconnect();
    }
  });

  it('stop() ends every app and drops the database', async () => {
    const urls = Object.values(stack.urls);
    const dbName = new URL(stack.databaseUrl).pathname.slice(1);
    await stack.stop();
    for (const url of urls) await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    const client = new Client({ connectionString: testAdminDatabaseUrl() });
    await client.connect();
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [dbName]);
      expect(found.rowCount).toBe(0);
    } finally {
      await client.end();
    }
  }, 60_000);
});

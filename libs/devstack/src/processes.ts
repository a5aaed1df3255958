import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT_DIR, type AppName } from './apps';
import { sleep, type Log } from './infra';

/**
 * How an app is run. `ts-node`: straight from TypeScript with ts-node's swc transpiler
 * (checked: it emits decorator metadata, so Nest DI and class-validator work; no type
 * check, no build step). `dist`: the `npm run build` output.
 */
export type Runtime = 'ts-node' | 'dist';

/** Variables the launcher sets itself; inherited copies are dropped so each app gets exactly its own. */
const CONFIG_VARIABLES = [
  'NODE_ENV', 'PORT', 'DATABASE_URL', 'DATABASE_POOL_SIZE', 'REDIS_URL', 'REDIS_PREFIX', 'LOG_LEVEL',
  'IDENTITY_URL', 'FIELD_ENCRYPTION_KEY', 'PERSON_KEY_SECRET', 'CLOCK_CONTROL', 'CORRECTION_URL',
  'RESETTLEMENT_URL', 'AFTERCARE_URL', 'ALERTS_URL', 'GATEWAY_URL', 'SUPERGRAPH_PATH',
  'ACCESS_TOKEN_TTL_SECONDS', 'PARTNER_TOKEN_TTL_SECONDS', 'LOCKOUT_THRESHOLD', 'LOCKOUT_MINUTES',
  'IDLE_TIMEOUT_MINUTES', 'RATE_LIMIT_PER_MINUTE', 'BUS_MAX_ATTEMPTS', 'BUS_RELAY_INTERVAL_MS', 'BUS_CONCURRENCY', 'BUS_QUEUE_CONCURRENCY',
  'ALERT_SWEEP_INTERVAL_SECONDS', 'ALERT_JOB_HORIZON_HOURS', 'SUBGRAPH_SHARED_SECRET', 'BIND_ADDRESS', 'TRUST_PROXY',
  'AUDIT_CHAIN_KEY', 'AUDIT_ANCHOR_INTERVAL_SECONDS', 'AUDIT_CHAIN_SHARDS', 'MIGRATION_DATABASE_URL',
  'IDENTITY_DATABASE_URL', 'CORRECTION_DATABASE_URL', 'RESETTLEMENT_DATABASE_URL', 'AFTERCARE_DATABASE_URL',
  'ALERTS_DATABASE_URL', 'AUDITOR_DATABASE_URL',
];

/**
 * Of {@link CONFIG_VARIABLES}, the tunables the launcher never computes (limits, TTLs, intervals): the
 * operator's value is handed on explicitly (`StackSettings.extra`, see {@link operatorTunables}), since
 * childEnv drops every inherited copy. Issue 13: `npm start` had dropped RATE_LIMIT_PER_MINUTE, so a
 * partner client was held at the default 600 a minute (10/s) whatever the variable said.
 */
export const OPERATOR_TUNABLES: readonly string[] = [
  'DATABASE_POOL_SIZE', 'ACCESS_TOKEN_TTL_SECONDS', 'PARTNER_TOKEN_TTL_SECONDS', 'LOCKOUT_THRESHOLD', 'LOCKOUT_MINUTES',
  'IDLE_TIMEOUT_MINUTES', 'RATE_LIMIT_PER_MINUTE', 'BUS_MAX_ATTEMPTS', 'BUS_RELAY_INTERVAL_MS', 'BUS_CONCURRENCY', 'BUS_QUEUE_CONCURRENCY', 'ALERT_SWEEP_INTERVAL_SECONDS',
  'ALERT_JOB_HORIZON_HOURS', 'TRUST_PROXY', 'AUDIT_ANCHOR_INTERVAL_SECONDS', 'AUDIT_CHAIN_SHARDS',
];

/** The operator's values of {@link OPERATOR_TUNABLES} in `env` (unset and empty ones left out). */
export function operatorTunables(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of OPERATOR_TUNABLES) {
    const value = env[key];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of CONFIG_VARIABLES) delete base[key];
  for (const key of Object.keys(base)) if (key.startsWith('JEST_') || key.startsWith('TS_NODE_')) delete base[key];
  return { ...base, ...env };
}

/** The command line that runs a TypeScript file (an app's main.ts or the CLI) without a build. */
export function tsNodeArgs(file: string): string[] {
  return [require.resolve('ts-node/dist/bin.js'), '--swc', '-r', 'tsconfig-paths/register', file];
}

/** Where `npm run build` (and `nest build <app>`, builder tsc) puts an app's entry point (rootDir = repository root). */
export function distEntry(app: AppName): string {
  const candidates = [`dist/apps/${app}/main.js`, `dist/apps/${app}/apps/${app}/src/main.js`];
  return candidates.find((c) => fs.existsSync(path.join(ROOT_DIR, c))) ?? candidates[0];
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  /** Where Node writes its diagnostic report on SIGUSR2 (apps started by spawnApp with a log folder). */
  reportFile?: string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  logFile?: string;
}

export interface SupervisorOptions {
  log: Log;
  /** Write each child's output to `<logDir>/<name>.log`. */
  logDir?: string;
  /** Print each child's output on our stdout, prefixed with its name. */
  forward?: boolean;
  /**
   * With `forward`: print only pino lines at this level or above (40 = warn); lines that are not
   * pino JSON (a crash's stack trace) are always printed. The log files get every line. Default: all.
   */
  forwardMinLevel?: number;
  /** Called when a child ends while the supervisor is not stopping. */
  onUnexpectedExit?: (name: string, code: number | string) => void;
  /**
   * Restart a child that ends while the supervisor is not stopping (issue 14 item 8), after
   * baseDelayMs, doubling up to maxDelayMs; the delay starts over once a run lasted stableMs.
   */
  restart?: { baseDelayMs?: number; maxDelayMs?: number; stableMs?: number };
}

/** The delay before restart number `attempt` (1, 2, …): base × 2^(attempt−1), at most max. */
export function restartDelayMs(attempt: number, baseDelayMs = 1_000, maxDelayMs = 30_000): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

const COLOURS = [36, 32, 33, 35, 34, 31, 96, 92];
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** The pino level of a JSON log line (30 = info, 40 = warn …); Infinity for anything else (always shown). */
export function logLevelOf(line: string): number {
  if (!line.startsWith('{')) return Number.POSITIVE_INFINITY;
  const match = /"level":\s*(\d+)/.exec(line);
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}

/** Pino JSON → one readable line; anything else as is. */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    // time, pid, hostname and the app name (already the line's prefix) are left out
    const { level, msg, time, pid, hostname, name, context, err, ...rest } = JSON.parse(line) as Record<string, unknown>;
    void time;
    void pid;
    void hostname;
    void name;
    const label = typeof level === 'number' ? (LEVELS[level] ?? String(level)) : String(level ?? '');
    const ctx = typeof context === 'string' ? `[${context}] ` : '';
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    const stack = err && typeof err === 'object' && 'stack' in err ? `\n${String((err as { stack: unknown }).stack)}` : '';
    return `${label.padEnd(5)} ${ctx}${String(msg ?? '')}${extra}${stack}`;
  } catch {
    return line;
  }
}

/**
 * Whether process `pid` holds the socket listening on TCP `port` (Linux: its fds against
 * /proc/net/tcp{,6}); undefined where /proc cannot tell. A port chosen free can be taken by someone
 * else before the app binds it: then another process answers the app's readiness probe.
 */
export function listensOn(pid: number, port: number): boolean | undefined {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      fs
        .readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined;
          }
        })
        .filter((inode): inode is string => inode !== undefined),
    );
  } catch {
    return undefined;
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is cols[1] ("0100007F:1F90"), st cols[3] (0A = LISTEN), inode cols[9]
      if (cols.length > 9 && cols[3] === '0A' && cols[1].endsWith(`:${hexPort}`) && inodes.has(cols[9])) return true;
    }
  }
  return false;
}

interface Endpoint {
  host?: string;
  ip4?: string;
  ip6?: string;
  port?: number;
}

interface DiagnosticReport {
  javascriptStack?: { message?: string; stack?: string[] };
  libuv?: Array<{ type?: string; is_active?: boolean; is_referenced?: boolean; localEndpoint?: Endpoint | null; remoteEndpoint?: Endpoint | null; firesInMsFromNow?: number }>;
}

/** The JavaScript stack and the active libuv handles (sockets with their ends, timers) of a Node diagnostic report. */
export function summariseReport(report: DiagnosticReport): string {
  const js = report.javascriptStack;
  const stack = [js?.message, ...(js?.stack ?? []).slice(0, 15)].filter(Boolean).join('\n  ');
  const end = (e?: Endpoint | null): string => (e ? `${e.ip4 ?? e.ip6 ?? e.host ?? '?'}:${e.port ?? '?'}` : '-');
  // Node's own handles (async, check, prepare, signal, the loop) say nothing about where an app waits.
  const own = new Set(['async', 'check', 'prepare', 'idle', 'signal', 'loop']);
  const handles = (report.libuv ?? [])
    .filter((h) => h.is_active && !own.has(String(h.type)))
    .map((h) => (h.type === 'tcp' ? `tcp ${end(h.localEndpoint)} → ${end(h.remoteEndpoint)}` : h.type === 'timer' ? `timer in ${h.firesInMsFromNow ?? '?'} ms` : String(h.type)));
  return `JavaScript stack:\n  ${stack || '(idle: waiting on the event loop)'}\nactive handles: ${handles.join('; ') || 'none'}`;
}

/**
 * Starts the stack's child processes, forwards or files their output, waits for their
 * readiness, and stops them all (gateway first, infrastructure last). A detached watchdog
 * process stops everything too if this process dies without doing it.
 */
export class Supervisor {
  private readonly processes: ManagedProcess[] = [];
  private readonly tails = new Map<string, string[]>();
  private readonly infraStops: { name: string; pids: number[]; stop: () => Promise<void> }[] = [];
  private watchdog?: ChildProcess;
  private stopping?: Promise<void>;
  private colour = 0;
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private readonly restartAttempts = new Map<string, number>();
  private readonly colours = new Map<string, number>();
  /** Called with the new process whenever a child is restarted. */
  onRestart?: (proc: ManagedProcess) => void;

  constructor(private readonly options: SupervisorOptions) {
    // issue 6 item 5: the apps' logs are for the operator only (folder 0700, files 0600)
    if (options.logDir) {
      fs.mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
      fs.chmodSync(options.logDir, 0o700);
    }
  }

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  private tellWatchdog(line: string): void {
    if (!this.watchdog) {
      this.watchdog = spawn(process.execPath, [path.join(__dirname, 'watchdog.js')], {
        stdio: ['pipe', 'ignore', 'ignore'],
        detached: true,
      });
      this.watchdog.unref();
      const stdin = this.watchdog.stdin as NodeJS.WritableStream & { unref?: () => void };
      stdin.on('error', () => undefined);
      stdin.unref?.();
    }
    this.watchdog.stdin?.write(`${line}\n`);
  }

  /** Registers infrastructure (PostgreSQL, Redis) this launcher started: stopped after the apps. */
  adoptInfra(name: string, pids: number[], stop: () => Promise<void>, signal: NodeJS.Signals = 'SIGTERM'): void {
    this.infraStops.push({ name, pids, stop });
    for (const pid of pids) this.tellWatchdog(`infra ${pid} ${signal}`);
  }

  /** Spawns `command args` in its own process group with `env` (see childEnv). */
  spawn(name: string, command: string, args: string[], env: Record<string, string>, opts: { diagnosable?: boolean } = {}): ManagedProcess {
    // A Node child that can be asked what it is doing (see diagnose): only with a log folder to write to.
    const flags = opts.diagnosable && command === process.execPath ? this.reportFlags(name) : [];
    const child = spawn(command, [...flags, ...args], {
      cwd: ROOT_DIR,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const logFile = this.options.logDir ? path.join(this.options.logDir, `${name}.log`) : undefined;
    const fileStream = logFile ? openPrivateLog(logFile) : undefined;
    const tail: string[] = [];
    this.tails.set(name, tail);
    if (!this.colours.has(name)) this.colours.set(name, COLOURS[this.colour++ % COLOURS.length]);
    const colour = this.colours.get(name) as number;
    const startedAt = Date.now();
    const useColour = process.stdout.isTTY;
    const prefix = useColour ? `\x1b[${colour}m${name.padEnd(21)}|\x1b[0m ` : `${name.padEnd(21)}| `;
    const onChunk = (pending: { text: string }) => (chunk: Buffer) => {
      pending.text += chunk.toString('utf8');
      let newline: number;
      while ((newline = pending.text.indexOf('\n')) >= 0) {
        const line = pending.text.slice(0, newline);
        pending.text = pending.text.slice(newline + 1);
        fileStream?.write(`${line}\n`);
        tail.push(line);
        if (tail.length > 200) tail.shift();
        if (this.options.forward && logLevelOf(line) >= (this.options.forwardMinLevel ?? 0)) process.stdout.write(`${prefix}${formatLogLine(line)}\n`);
      }
    };
    child.stdout?.on('data', onChunk({ text: '' }));
    child.stderr?.on('data', onChunk({ text: '' }));
    const exited = new Promise<number | string>((resolve) => {
      child.on('exit', (code, signal) => {
        const result = code ?? signal ?? 'unknown';
        if (child.pid) this.tellWatchdog(`done ${child.pid}`);
        fileStream?.end();
        resolve(result);
        if (this.stopping) return;
        this.options.onUnexpectedExit?.(name, result);
        if (this.options.restart) this.scheduleRestart(name, command, args, env, result, Date.now() - startedAt, opts);
      });
      child.on('error', (error) => {
        tail.push(`spawn failed: ${error.message}`);
        resolve('spawn-error');
      });
    });
    const managed: ManagedProcess = { name, child, exited, logFile };
    if (flags.length && this.options.logDir) managed.reportFile = path.join(this.options.logDir, `${name}.report.json`);
    this.processes.push(managed);
    if (child.pid) this.tellWatchdog(`app ${child.pid}`);
    return managed;
  }

  private scheduleRestart(name: string, command: string, args: string[], env: Record<string, string>, code: number | string, ranMs: number, opts: { diagnosable?: boolean } = {}): void {
    const { baseDelayMs = 1_000, maxDelayMs = 30_000, stableMs = 60_000 } = this.options.restart ?? {};
    const attempt = ranMs >= stableMs ? 1 : (this.restartAttempts.get(name) ?? 0) + 1;
    this.restartAttempts.set(name, attempt);
    const delay = restartDelayMs(attempt, baseDelayMs, maxDelayMs);
    this.options.log(`${name} exited (${code}); restarting in ${(delay / 1000).toFixed(1)} s (restart ${attempt}) / 已退出，正在重启`);
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (this.stopping) return;
      const proc = this.spawn(name, command, args, env, opts);
      this.onRestart?.(proc);
    }, delay);
    this.restartTimers.add(timer);
  }

  /** Runs an app from source (ts-node + swc) or from dist. */
  spawnApp(name: AppName, env: Record<string, string>, runtime: Runtime = 'ts-node'): ManagedProcess {
    const args = runtime === 'dist' ? [distEntry(name)] : tsNodeArgs(`apps/${name}/src/main.ts`);
    return this.spawn(name, process.execPath, args, env, { diagnosable: true });
  }

  /**
   * With a log folder: Node writes a diagnostic report (JavaScript stack, libuv handles) to
   * `<logDir>/<app>.report.json` on SIGUSR2, which {@link waitReady} sends to an app that never became ready.
   */
  private reportFlags(name: string): string[] {
    const dir = this.options.logDir;
    return dir ? ['--report-on-signal', '--report-signal=SIGUSR2', `--report-directory=${dir}`, `--report-filename=${name}.report.json`, '--report-compact'] : [];
  }

  /** Asks a stuck app for its diagnostic report and returns what it was doing (or why there is none). */
  private async diagnose(proc: ManagedProcess): Promise<string> {
    const file = proc.reportFile;
    const pid = proc.child.pid;
    // Only an app started with --report-on-signal: SIGUSR2 would end any other Node process.
    if (!file || !pid || proc.child.exitCode !== null) return '';
    fs.rmSync(file, { force: true });
    try {
      process.kill(pid, 'SIGUSR2');
    } catch {
      return '';
    }
    for (let waited = 0; waited < 5_000; waited += 100) {
      await sleep(100);
      if (!fs.existsSync(file)) continue;
      try {
        return `--- what ${proc.name} was doing (diagnostic report ${file}) ---\n${summariseReport(JSON.parse(fs.readFileSync(file, 'utf8')))}`;
      } catch {
        // written but not complete yet
      }
    }
    return `--- ${proc.name} wrote no diagnostic report within 5 s of SIGUSR2: its main thread is blocked outside JavaScript ---`;
  }

  /** The last `lines` lines a child printed. */
  tail(name: string, lines = 40): string {
    return (this.tails.get(name) ?? []).slice(-lines).join('\n');
  }

  /**
   * Polls `<url>/health/ready` until it answers 200. Fails when the process exits first or
   * after timeoutMs, with the last readiness answer and the tail of the process's output.
   */
  async waitReady(proc: ManagedProcess, url: string, timeoutMs = 180_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let exit: number | string | undefined;
    void proc.exited.then((code) => (exit = code));
    let last = 'no answer yet';
    for (;;) {
      if (exit !== undefined) {
        throw new Error(`${proc.name} exited (${exit}) before it was ready.\n--- last output of ${proc.name} ---\n${this.tail(proc.name)}`);
      }
      try {
        const response = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(3000) });
        const body = await response.text();
        const port = Number(new URL(url).port);
        if (response.status === 200 && proc.child.pid && port && listensOn(proc.child.pid, port) === false) {
          // Someone else took the port between its choice and this app's listen: not our app answering.
          last = `HTTP 200 from another process on port ${port}, not ${proc.name} (pid ${proc.child.pid})`;
        } else if (response.status === 200) {
          return;
        } else {
          last = `HTTP ${response.status} ${body.slice(0, 500)}`;
        }
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) {
        const diagnosis = await this.diagnose(proc);
        throw new Error(
          `${proc.name} was not ready at ${url}/health/ready within ${Math.round(timeoutMs / 1000)} s (last: ${last}).\n` +
            `--- last output of ${proc.name} ---\n${this.tail(proc.name)}${diagnosis ? `\n${diagnosis}` : ''}`,
        );
      }
      await sleep(250);
    }
  }

  /** Stops the apps (last started first, SIGTERM then SIGKILL after graceMs), then the infrastructure. */
  stopAll(graceMs = 10_000): Promise<void> {
    this.stopping ??= this.doStop(graceMs);
    return this.stopping;
  }

  private async doStop(graceMs: number): Promise<void> {
    for (const timer of this.restartTimers) clearTimeout(timer);
    this.restartTimers.clear();
    const running = [...this.processes].reverse().filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    // The gateway first (it would only log upstream errors), then the others together.
    for (const batch of [running.filter((p) => p.name === 'gateway'), running.filter((p) => p.name !== 'gateway')]) {
      await Promise.all(
        batch.map(async (p) => {
          signalGroup(p.child, 'SIGTERM');
          const timer = setTimeout(() => signalGroup(p.child, 'SIGKILL'), graceMs);
          await p.exited;
          clearTimeout(timer);
        }),
      );
    }
    for (const infra of [...this.infraStops].reverse()) {
      try {
        await infra.stop();
      } catch (error) {
        this.options.log(`stopping ${infra.name} failed: ${(error as Error).message}`);
      }
      for (const pid of infra.pids) this.tellWatchdog(`done ${pid}`);
    }
    if (this.watchdog) {
      this.watchdog.stdin?.end();
      this.watchdog = undefined;
    }
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // gone
    }
  }
}

/** How a child run under a deadline ended. */
export interface DeadlineOutcome {
  code: number;
  timedOut: boolean;
}

/**
 * Runs a child (its output goes to ours) in a process group of its own, and stops the whole group —
 * SIGTERM, then SIGKILL after `graceMs` — when it is still running after `limitMs`; `code` is then 124,
 * as timeout(1) answers. For the test tiers: a jest worker stuck in native code (seen once in a CI run:
 * main thread in a futex wait, no socket open) survives jest's own test timeouts and held CI until its
 * 30-minute limit, saying nothing; now the tier fails in bounded time and says which. `signals` forwards
 * an outer Ctrl-C or SIGTERM to the group.
 */
export function runWithDeadline(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; limitMs: number; graceMs?: number; onTimeout?: (pid: number | undefined) => void },
): { done: Promise<DeadlineOutcome>; signal(signal: NodeJS.Signals): void } {
  const child = spawn(command, args, { cwd: opts.cwd ?? ROOT_DIR, env: opts.env ?? process.env, stdio: 'inherit', detached: true });
  let timedOut = false;
  let killer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    timedOut = true;
    opts.onTimeout?.(child.pid);
    signalGroup(child, 'SIGTERM');
    killer = setTimeout(() => signalGroup(child, 'SIGKILL'), opts.graceMs ?? 10_000);
  }, opts.limitMs);
  const done = new Promise<DeadlineOutcome>((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // the group may outlive its leader (a worker that ignores SIGTERM): make sure it goes too
      if (timedOut) signalGroup(child, 'SIGKILL');
      if (killer) clearTimeout(killer);
      resolve({ code: timedOut ? 124 : (code ?? (signal ? 1 : 0)), timedOut });
    });
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ code: 1, timedOut: false });
    });
  });
  return { done, signal: (signal) => signalGroup(child, signal) };
}

function readProc(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Fields of /proc/<pid>/stat after the parenthesised comm (which may hold spaces): state is [0], pgrp [2]. */
function statFields(pid: string): string[] {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * What every process of a process group is doing, for a stuck test tier (docs/decisions.md "Test tiers
 * have a time limit"): per process its command line, state, kernel wait channel and RSS, per thread its
 * name, state and wait channel; and, when gdb is installed, the native stack of each process whose main
 * thread sleeps in a futex (a synchronous native wait: jest's own timeouts never fire then). Linux only;
 * an empty string elsewhere.
 */
export function describeProcessGroup(pgid: number, opts: { gdb?: boolean; gdbTimeoutMs?: number } = {}): string {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && statFields(d)[2] === String(pgid));
  } catch {
    return '';
  }
  const lines: string[] = [];
  const stuck: string[] = [];
  for (const pid of pids) {
    const [state] = statFields(pid);
    const wchan = readProc(`/proc/${pid}/wchan`) || '-';
    const rss = /VmRSS:\s*(\d+) kB/.exec(readProc(`/proc/${pid}/status`))?.[1];
    const cmdline = readProc(`/proc/${pid}/cmdline`).split('\0').filter(Boolean).join(' ').slice(0, 300);
    lines.push(`pid ${pid} state ${state} wchan ${wchan} rss ${rss ? `${Math.round(Number(rss) / 1024)} MB` : '?'}: ${cmdline}`);
    let tids: string[] = [];
    try {
      tids = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      // gone
    }
    for (const tid of tids) {
      const comm = readProc(`/proc/${pid}/task/${tid}/comm`).trim();
      lines.push(`  thread ${tid} ${comm} state ${statFields(`${pid}/task/${tid}`)[0]} wchan ${readProc(`/proc/${pid}/task/${tid}/wchan`) || '-'}`);
    }
    if (wchan.includes('futex')) stuck.push(pid);
  }
  if (opts.gdb !== false) {
    for (const pid of stuck) {
      const bt = spawnSync('gdb', ['-p', pid, '-batch', '-ex', 'thread apply 1 bt 40'], { encoding: 'utf8', timeout: opts.gdbTimeoutMs ?? 60_000 });
      if (bt.error) {
        lines.push(`gdb -p ${pid}: ${bt.error.message}`);
        continue;
      }
      const stack = bt.stdout.split('\n').filter((l) => /^#\d+|^Thread 1 /.test(l));
      lines.push(`native stack of pid ${pid} (main thread, gdb):`, ...stack.map((l) => `  ${l.slice(0, 400)}`));
    }
  }
  return lines.join('\n');
}

/** Runs a child to completion and returns its output; rejects with the output when it fails. */
export function runToCompletion(
  command: string,
  args: string[],
  env: Record<string, string>,
  opts: { timeoutMs?: number; label?: string } = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT_DIR, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout, stderr });
      else {
        const label = opts.label ?? [command, ...args].join(' ');
        reject(new Error(`${label} failed (${code ?? signal}):\n${stderr.slice(-4000)}\n${stdout.slice(-4000)}`));
      }
    });
  });
}

/** Where `npm run build` (and `nest build cli`) puts the CLI (scripts/tsconfig.cli.json, rootDir = repository root). */
export const CLI_DIST_ENTRY = 'dist/cli/scripts/cli.js';

/** HW_STACK_RUNTIME: `dist`, `ts-node`, or undefined when unset or empty; any other value is refused. */
function wantedRuntime(env: NodeJS.ProcessEnv): Runtime | undefined {
  const wanted = env.HW_STACK_RUNTIME;
  if (wanted === undefined || wanted === '') return undefined;
  if (wanted !== 'dist' && wanted !== 'ts-node') throw new Error(`HW_STACK_RUNTIME must be "dist" or "ts-node", got "${wanted}"`);
  return wanted;
}

/**
 * The runtime of the test stack: `HW_STACK_RUNTIME=dist` runs the `npm run build` output of the apps and
 * the CLI — what the image ships; CI sets it right after its build step, so the e2e files test the built
 * artefacts and skip six transpilations per file. Anything else (the default): from source. A missing
 * build is a clear error, never a silent fall-back to source.
 */
export function stackRuntime(env: NodeJS.ProcessEnv = process.env, apps: readonly AppName[] = []): Runtime {
  if (wantedRuntime(env) !== 'dist') return 'ts-node';
  const missing = [...apps.map(distEntry), CLI_DIST_ENTRY].filter((f) => !fs.existsSync(path.join(ROOT_DIR, f)));
  if (missing.length) throw new Error(`HW_STACK_RUNTIME=dist but ${missing.join(', ')} missing: run \`npm run build\` first`);
  return 'dist';
}

/**
 * The runtime of `npm start` (session 13): `npm run build` (scripts/build.js: SWC, a few seconds), then
 * the apps and the CLI from dist, as the image runs them. From source every app carried ts-node (50–60
 * MiB of RSS, half again the start-up CPU: bench/README.md "Start-up and idle") and Node's `domain`
 * module, which ts-node's REPL loads and which wraps every EventEmitter emit. `HW_STACK_RUNTIME=ts-node`
 * runs from source as before; any other value than `dist` or `ts-node` is refused.
 */
export async function devRuntime(env: NodeJS.ProcessEnv, log: Log): Promise<Runtime> {
  if (wantedRuntime(env) === 'ts-node') return 'ts-node';
  const started = Date.now();
  await runToCompletion(process.execPath, [path.join(ROOT_DIR, 'scripts', 'build.js')], {}, { timeoutMs: 300_000, label: 'npm run build' });
  log(`built the apps and the CLI (npm run build, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return 'dist';
}

/** `npm run cli -- <args>` without npm in between: ts-node + swc on scripts/cli.ts, or the built CLI. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 180_000, runtime: Runtime = 'ts-node'): Promise<{ stdout: string; stderr: string }> {
  const entry = runtime === 'dist' ? [path.join(ROOT_DIR, CLI_DIST_ENTRY)] : tsNodeArgs('scripts/cli.ts');
  return runToCompletion(process.execPath, entry.concat(args), env, {
    timeoutMs,
    label: `cli ${args[0] ?? ''}`,
  });
}

/** The last non-empty stdout line parsed as JSON (partner:create prints {"clientId","clientSecret"} last). */
export function lastJsonLine<T>(stdout: string): T {
  const lines = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    if (lines[i].startsWith('{')) {
      try {
        return JSON.parse(lines[i]) as T;
      } catch {
        // keep looking
      }
    }
  }
  throw new Error(`expected a JSON line in the output:\n${stdout.slice(-2000)}`);
}

/** An append stream on `file`, mode 0600 (also when the file already existed with a wider mode). */
export function openPrivateLog(file: string): fs.WriteStream {
  const fd = fs.openSync(file, 'a', 0o600);
  fs.fchmodSync(fd, 0o600);
  return fs.createWriteStream(file, { fd, flags: 'a' });
}

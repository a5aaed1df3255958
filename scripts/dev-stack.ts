/**
 * `npm start`: the whole of Homeward on one machine (docs/architecture.md "Running it").
 *
 * PostgreSQL: DATABASE_URL, else 127.0.0.1:5432 (user postgres) when it answers, else an embedded
 * PostgreSQL (data in .data/pg). Redis: REDIS_URL, else 127.0.0.1:6379, else a redis-server from
 * PATH (noeviction + AOF, data in .data/redis). Then: database `homeward`, dev secrets
 * (.data/dev-secrets.json, made once), `npm run build` (SWC, a few seconds), migrations and reference
 * data (the admin CLI), demo accounts and partner clients (.data/demo-credentials.json, made once), the
 * six apps from dist (gateway last; HW_STACK_RUNTIME=ts-node: from source): one line per app when it is
 * ready, then only warnings and errors on the console (every line goes to .data/logs/<app>.log;
 * HOMEWARD_CONSOLE=all prints them all). What it found is written to .data/dev-stack.json, so
 * `npm run cli -- …` beside it needs no variable. Ctrl-C stops everything.
 *
 *   npm start                     start (or resume) the dev stack
 *   npm start -- --reset [--yes]  first drop the dev database and delete the data folder (asks y/N)
 *
 * Environment: DATABASE_URL, REDIS_URL, REDIS_PREFIX (hw), LOG_LEVEL (info), HOMEWARD_DATA_DIR (.data),
 * HOMEWARD_DATABASE (homeward), HOMEWARD_PORT_BASE (3000: gateway, +1 identity … +5 alerts),
 * HOMEWARD_CONSOLE (warn | all), HW_STACK_RUNTIME (dist, the default | ts-node). A port in use is
 * replaced by a free one (printed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import {
  APPS,
  MissingDependencyError,
  ROOT_DIR,
  Supervisor,
  appEnv,
  appUrl,
  cliEnv,
  demoCredentialsFile,
  demoSummaryLines,
  loadDemoCredentials,
  saveDemoCredentials,
  type DemoCredentials,
  ensureDatabase,
  devDataDir,
  devStackSettings,
  freePort,
  describeDevReset,
  planDevReset,
  runDevReset,
  saveDevStackState,
  isPortOpen,
  loadDevSecrets,
  redactUrl,
  runCli,
  devRuntime,
  withDatabase,
  discoverPostgres,
  discoverRedis,
  type AppName,
  type StackSettings,
} from './stack';

const DATA_DIR = devDataDir(process.env);
const DATABASE = process.env.HOMEWARD_DATABASE || 'homeward';
/** Gateway only: how often it asks the subgraphs for schema changes (they only change on a restart). */
const DEV_SUPERGRAPH_POLL_MS = '60000';

const USAGE = `usage: npm start [-- --reset [--yes]]
  --reset   drop the dev database (${DATABASE}) and delete the data folder, then start afresh
            (asks first; 先删除开发数据库和数据目录，再重新启动)
  --yes     do not ask (for scripts)`;
/** A path for the console: relative to the repository when inside it. */
const shown = (p: string): string => (p.startsWith(`${ROOT_DIR}${path.sep}`) ? path.relative(ROOT_DIR, p) : p);
const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const log = (message: string): void => {
  process.stdout.write(`${bold('homeward'.padEnd(21) + '|')} ${message}\n`);
};

/**
 * Creates the demo accounts and partner clients unless they exist, with identity's own services
 * (apps/identity/src/admin: the same code the CLI uses), in this process: one Nest context instead
 * of ten CLI runs.
 */
async function ensureDemoAccounts(settings: StackSettings): Promise<{ creds: DemoCredentials; warnings: string[] }> {
  const file = demoCredentialsFile(DATA_DIR);
  const storedBefore = fs.existsSync(file);
  const creds = loadDemoCredentials(file);
  const warnings: string[] = [];
  const { adminConfig, withIdentityAdmin } = await import('../apps/identity/src/admin/identity-admin');
  const actor = { system: 'dev-stack' } as const;
  await withIdentityAdmin(adminConfig(cliEnv(settings)), async ({ users, partners }) => {
    for (const u of creds.users) {
      if (await users.findByUsername(u.username)) {
        if (!storedBefore) warnings.push(`${u.username} already existed (not made by this .data/): its password is not the one in the credentials file.`);
        continue;
      }
      await users.create({ username: u.username, password: u.password!, roles: u.roles, towns: u.towns, totpSecret: u.totpSecret }, actor);
      log(`created demo user ${u.username}`);
    }
    for (const p of creds.partners) {
      const existing = await partners.findByClientId(p.clientId);
      if (existing && p.clientSecret) continue;
      if (existing) {
        warnings.push(`partner client ${p.clientId} exists but its secret is not in ${path.relative(ROOT_DIR, file)}: create another with npm run cli -- partner:create --kind ${p.kind} --name NAME`);
        continue;
      }
      const created = await partners.create({ kind: p.kind, name: p.name, clientId: p.clientId }, actor);
      p.clientSecret = created.clientSecret;
      log(`created demo partner client ${p.clientId}`);
    }
  });
  saveDemoCredentials(file, creds);
  return { creds, warnings };
}

async function choosePorts(): Promise<{ ports: Record<AppName, number>; moved: string[] }> {
  const ports = {} as Record<AppName, number>;
  const moved: string[] = [];
  // HOMEWARD_PORT_BASE=4000 → gateway 4000, identity 4001, … alerts 4005.
  const base = Number(process.env.HOMEWARD_PORT_BASE) || 0;
  for (const app of APPS) {
    const wanted = base ? base + (app.port - 3000) : app.port;
    if (await isPortOpen('127.0.0.1', wanted, 300)) {
      ports[app.name] = await freePort();
      moved.push(`${app.name}: port ${wanted} is in use, using ${ports[app.name]}`);
    } else ports[app.name] = wanted;
  }
  return { ports, moved };
}

/** The console summary of `npm start`: URLs and the demo logins' names — no password, TOTP seed or client secret. */
function printSummary(settings: StackSettings, creds: DemoCredentials, warnings: string[], seconds: number): void {
  const gateway = appUrl(settings, 'gateway');
  const lines = [
    '',
    bold(`Homeward is up in ${seconds.toFixed(1)} s  (系统已启动)`),
    `  Gateway (GraphQL + partner REST):  ${gateway}/graphql`,
    `  GraphQL sandbox:                   ${gateway}/graphql  (open in a browser)`,
    `  Partner API docs (OpenAPI):        ${gateway}/api/docs`,
    `  Apps: ${APPS.filter((a) => a.name !== 'gateway').map((a) => `${a.name} ${appUrl(settings, a.name)}`).join(', ')}`,
    '',
    ...demoSummaryLines(creds, demoCredentialsFile(DATA_DIR)).map((l) => (l.startsWith('Demo') ? bold(l) : l)),
    '  (Ctrl-C stops everything)',
    ...warnings.map((w) => `  warning: ${w}`),
    ...(warnings.length
      ? ['  To start from scratch (drops the dev database and .data/): npm start -- --reset  (重新开始：删除开发数据库和数据目录)']
      : []),
    `  Console: warnings and errors only; every line is in ${shown(path.join(DATA_DIR, 'logs'))}/<app>.log  (HOMEWARD_CONSOLE=all: everything)`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function ask(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await Promise.race([rl.question(question), new Promise<string>((resolve) => rl.once('close', () => resolve('')))]);
    if (!process.stdin.isTTY) process.stdout.write(`${answer.trim()}\n`);
    return /^(y|yes|是)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** `--reset`: drops the dev database (and the stack's Redis keys) and deletes the data folder, after y/N. */
async function reset(yes: boolean): Promise<boolean> {
  const plan = await planDevReset({ dataDir: DATA_DIR, database: DATABASE, redisPrefix: process.env.REDIS_PREFIX || 'hw' });
  const what = describeDevReset(plan);
  log('--reset deletes (将删除):');
  what.forEach((w) => log(`  - ${w}`));
  if (!yes && !(await ask(`${'homeward'.padEnd(21)}| Continue? 确认继续？ [y/N] `))) {
    log('nothing deleted (未删除任何数据)');
    return false;
  }
  await runDevReset(plan);
  log('reset done: starting afresh (已重置，重新启动)');
  return true;
}

function parseArgs(argv: string[]): { reset: boolean; yes: boolean } {
  const flags = { reset: false, yes: false };
  for (const arg of argv) {
    if (arg === '--reset') flags.reset = true;
    else if (arg === '--yes' || arg === '-y') flags.yes = true;
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`unknown argument ${arg} (未知参数)\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return flags;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const flags = parseArgs(process.argv.slice(2));
  if (flags.reset) {
    try {
      if (!(await reset(flags.yes))) process.exit(1);
    } catch (error) {
      process.stderr.write(`\n${(error as Error).message}\n`);
      process.exit(1);
    }
  }
  fs.mkdirSync(DATA_DIR, { recursive: true, mode: 0o755 });
  let exitCode = 0;
  const supervisor = new Supervisor({
    log,
    forward: true,
    // One line per app when it is ready (below), then warnings and errors; the files keep every line.
    forwardMinLevel: process.env.HOMEWARD_CONSOLE === 'all' ? 0 : 40,
    logDir: path.join(DATA_DIR, 'logs'),
    // An app that dies is started again (with backoff; one line says so), as a process manager would.
    restart: { baseDelayMs: 1_000, maxDelayMs: 30_000, stableMs: 60_000 },
  });
  let shuttingDown = false;
  const shutdown = async (): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    log('stopping (停止中) …');
    await supervisor.stopAll();
    log('stopped');
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown());

  try {
    const pg = await discoverPostgres({ dataDir: DATA_DIR, log });
    if (pg.source === 'embedded') supervisor.adoptInfra('PostgreSQL', pg.pids, pg.stop, 'SIGINT');
    const redis = await discoverRedis({ dataDir: DATA_DIR, log });
    if (redis.source === 'embedded') supervisor.adoptInfra('Redis', redis.pids, redis.stop);
    // DATABASE_URL names its own (existing: it answered) database; otherwise `homeward` on the server found.
    let databaseUrl = pg.url;
    if (pg.source !== 'env') {
      if (await ensureDatabase(pg.url, DATABASE)) log(`created database ${DATABASE}`);
      databaseUrl = withDatabase(pg.url, DATABASE);
    }
    log(`PostgreSQL ${redactUrl(databaseUrl)} (${pg.source}), Redis ${redactUrl(redis.url)} (${redis.source})`);

    const secrets = loadDevSecrets(DATA_DIR);
    const { ports, moved } = await choosePorts();
    moved.forEach((m) => log(m));
    const settings: StackSettings = devStackSettings({
      databaseUrl,
      redisUrl: redis.url,
      redisPrefix: process.env.REDIS_PREFIX || 'hw',
      fieldEncryptionKey: secrets.FIELD_ENCRYPTION_KEY,
      personKeySecret: secrets.PERSON_KEY_SECRET,
      subgraphSharedSecret: secrets.SUBGRAPH_SHARED_SECRET,
      auditChainKey: secrets.AUDIT_CHAIN_KEY,
      ports,
      logLevel: process.env.LOG_LEVEL || 'info',
      clockControl: false,
    }, process.env);
    saveDevStackState(DATA_DIR, settings);

    const runtime = await devRuntime(process.env, log);
    let t = Date.now();
    await runCli(['migrate'], cliEnv(settings), undefined, runtime);
    await runCli(['seed'], cliEnv(settings), undefined, runtime);
    log(`migrations and reference data done (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    t = Date.now();
    const { creds, warnings } = await ensureDemoAccounts(settings);
    log(`demo accounts ready (${((Date.now() - t) / 1000).toFixed(1)} s)`);

    const logs = shown(path.join(DATA_DIR, 'logs'));
    const startApp = async (name: AppName, env: Record<string, string>): Promise<void> => {
      const started = Date.now();
      await supervisor.waitReady(supervisor.spawnApp(name, env, runtime), appUrl(settings, name));
      log(`${name.padEnd(20)} ready at ${appUrl(settings, name)} (${((Date.now() - started) / 1000).toFixed(1)} s, log ${logs}/${name}.log)`);
    };
    const services = APPS.filter((a) => a.name !== 'gateway');
    await Promise.all(services.map((a) => startApp(a.name, appEnv(a.name, settings))));
    await startApp('gateway', { SUPERGRAPH_POLL_INTERVAL_MS: DEV_SUPERGRAPH_POLL_MS, ...appEnv('gateway', settings) });
    printSummary(settings, creds, warnings, (Date.now() - t0) / 1000);
  } catch (error) {
    if (shuttingDown) return;
    process.stderr.write(`\n${error instanceof MissingDependencyError ? error.message : (error as Error).stack ?? String(error)}\n`);
    exitCode = 1;
    await shutdown();
  }
}

void main();

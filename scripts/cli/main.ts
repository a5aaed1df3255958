import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { DomainError } from '@homeward/domain';
import { ConfigError, appDatabaseRole, AUDITOR_ROLE, createDataSource, verifyAuditChains } from '@homeward/platform';
import { DEFAULT_DATABASE_URL, adminConfig, withIdentityAdmin } from '../../apps/identity/src/admin/identity-admin';
import { demoCredentialsFile, demoSecretLines, readDemoCredentials } from '../stack/demo-credentials';
import { CliCommand, USAGE, UsageError, parseCliArgs } from './args';

/** Repository root (scripts/cli/ → ../..). */
export const ROOT = resolve(__dirname, '..', '..');

/** Apps with a database schema, in migration order. */
export const SERVICE_APPS = ['identity', 'community-correction', 'resettlement', 'aftercare', 'alerts'] as const;

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

const processIO: CliIO = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};

interface AppDatabaseFiles {
  SCHEMA: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  MIGRATIONS: readonly Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  ENTITIES: readonly Function[];
}

function exists(file: string): boolean {
  return existsSync(`${file}.ts`) || existsSync(`${file}.js`);
}

/**
 * Loads `apps/<app>/src/migrations/index` and `apps/<app>/src/entities` lazily; undefined (with a warning)
 * when the app has not written them yet.
 */
function loadAppDatabase(app: string, io: CliIO): AppDatabaseFiles | undefined {
  const src = join(ROOT, 'apps', app, 'src');
  const migrations = join(src, 'migrations', 'index');
  const entities = join(src, 'entities');
  if (!exists(migrations) || !exists(entities)) {
    io.err(`warning: ${app}: no src/migrations/index.ts or src/entities.ts yet — skipped`);
    return undefined;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require(migrations) as Partial<AppDatabaseFiles>;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const e = require(entities) as Partial<AppDatabaseFiles>;
  if (typeof m.SCHEMA !== 'string' || !Array.isArray(m.MIGRATIONS) || !Array.isArray(e.ENTITIES)) {
    throw new Error(`${app}: migrations/index must export SCHEMA and MIGRATIONS, entities must export ENTITIES`);
  }
  return { SCHEMA: m.SCHEMA, MIGRATIONS: m.MIGRATIONS, ENTITIES: e.ENTITIES };
}

/** The migrator's URL (issue 6 item 3): MIGRATION_DATABASE_URL, else DATABASE_URL, else the local default. */
function databaseUrl(env: NodeJS.ProcessEnv): string {
  return env.MIGRATION_DATABASE_URL || env.DATABASE_URL || DEFAULT_DATABASE_URL;
}

/** The CLI variable with each login role's own URL (its password is what `migrate` sets). */
const ROLE_URL_VARIABLES: ReadonlyArray<{ env: string; role: string }> = [
  { env: 'IDENTITY_DATABASE_URL', role: appDatabaseRole('identity') },
  { env: 'CORRECTION_DATABASE_URL', role: appDatabaseRole('correction') },
  { env: 'RESETTLEMENT_DATABASE_URL', role: appDatabaseRole('resettlement') },
  { env: 'AFTERCARE_DATABASE_URL', role: appDatabaseRole('aftercare') },
  { env: 'ALERTS_DATABASE_URL', role: appDatabaseRole('alerts') },
  { env: 'AUDITOR_DATABASE_URL', role: AUDITOR_ROLE },
];

function sqlLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * After the migrations made the roles: gives each role the password of its URL (when one is given
 * with a password), so the secret holding the apps' URLs is the one place passwords live.
 */
async function setRolePasswords(ds: DataSource, io: CliIO): Promise<void> {
  for (const { env, role } of ROLE_URL_VARIABLES) {
    const value = io.env[env];
    if (!value) continue;
    const url = new URL(value);
    if (decodeURIComponent(url.username) !== role) throw new UsageError(`${env} must name the role ${role}, not "${url.username}"`);
    if (!url.password) continue;
    await ds.query(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${sqlLiteral(decodeURIComponent(url.password))}`);
    io.out(`role ${role}: password set from ${env}`);
  }
}

async function withAppDataSource<T>(app: string, files: AppDatabaseFiles, url: string, fn: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = createDataSource({
    url,
    schema: files.SCHEMA,
    entities: [...files.ENTITIES],
    migrations: [...files.MIGRATIONS],
    migrationsRun: false,
    poolSize: 2,
    applicationName: `homeward-cli-${app}`,
    logging: ['error'],
  });
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

async function migrate(io: CliIO): Promise<number> {
  const url = databaseUrl(io.env);
  for (const app of SERVICE_APPS) {
    const files = loadAppDatabase(app, io);
    if (!files) continue;
    const ran = await withAppDataSource(app, files, url, (ds) => ds.runMigrations({ transaction: 'each' }));
    io.out(`${app} (schema ${files.SCHEMA}): ${ran.length ? `ran ${ran.map((m) => m.name).join(', ')}` : 'up to date'}`);
  }
  const pg = createDataSource({ url, schema: 'public', migrationsRun: false, poolSize: 1, applicationName: 'homeward-cli-roles', logging: ['error'] });
  await pg.initialize();
  try {
    await setRolePasswords(pg, io);
  } finally {
    await pg.destroy();
  }
  return 0;
}

/**
 * `audit:verify` (issue 6 items 3 and 4): every service's chain recomputed with AUDIT_CHAIN_KEY in
 * numeric id order, and every anchor checked against it. Exit code 1 when anything does not fit.
 */
async function auditVerify(io: CliIO): Promise<number> {
  const key = io.env.AUDIT_CHAIN_KEY ?? '';
  if (key.trim().length < 32) throw new ConfigError([{ name: 'AUDIT_CHAIN_KEY', reasons: ['is missing or shorter than 32 characters / 审计链密钥未设置或过短'] }]);
  const url = io.env.AUDITOR_DATABASE_URL || databaseUrl(io.env);
  const ds = createDataSource({ url, schema: 'audit', migrationsRun: false, poolSize: 1, applicationName: 'homeward-cli-audit-verify', logging: ['error'] });
  await ds.initialize();
  try {
    const [{ present }] = (await ds.query(`SELECT to_regclass('audit.anchors') IS NOT NULL AS present`)) as Array<{ present: boolean }>;
    if (!present) {
      io.err('audit:verify: no audit schema (audit.events / audit.anchors) in this database: run `npm run cli -- migrate` first / 未找到审计表');
      return 1;
    }
    const results = await verifyAuditChains(ds, key.trim());
    let broken = 0;
    let rows = 0;
    let anchors = 0;
    for (const r of results) {
      rows += r.checked;
      anchors += r.anchors ?? 0;
      if (r.ok) io.out(`${r.service}: ok, ${r.checked} rows, ${r.anchors ?? 0} anchors`);
      else {
        broken += 1;
        io.err(`${r.service}: BROKEN at id ${r.brokenAt} after ${r.checked} good rows: ${r.reason} / 审计链已被篡改`);
      }
    }
    io.out(`audit:verify: ${results.length} chains, ${rows} rows, ${anchors} anchors checked; ${broken ? `${broken} BROKEN` : 'all intact / 全部完好'}`);
    return broken ? 1 : 0;
  } finally {
    await ds.destroy();
  }
}

type SeedFn = (ds: DataSource) => Promise<string[] | void>;

/** Each app may export `seed(dataSource)` from `apps/<app>/src/seed.ts` (idempotent; returns what it seeded). */
async function seed(io: CliIO): Promise<number> {
  const url = databaseUrl(io.env);
  for (const app of SERVICE_APPS) {
    const seedFile = join(ROOT, 'apps', app, 'src', 'seed');
    if (!exists(seedFile)) {
      io.out(`${app}: no seed hook`);
      continue;
    }
    const files = loadAppDatabase(app, io);
    if (!files) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const hook = (require(seedFile) as { seed?: SeedFn }).seed;
    if (typeof hook !== 'function') {
      io.out(`${app}: seed.ts exports no seed() — skipped`);
      continue;
    }
    const seeded = await withAppDataSource(app, files, url, async (ds) => {
      await ds.runMigrations({ transaction: 'each' });
      return (await hook(ds)) ?? [];
    });
    io.out(seeded.length ? `${app}: seeded ${seeded.join('; ')}` : `${app}: nothing to seed`);
  }
  return 0;
}

async function userCreate(cmd: Extract<CliCommand, { command: 'user:create' }>, io: CliIO): Promise<number> {
  return withIdentityAdmin(adminConfig(io.env), async ({ users }) => {
    if (cmd.ifNotExists) {
      const existing = await users.findByUsername(cmd.username);
      if (existing) {
        io.out(`user ${existing.username} exists (${existing.id}); nothing changed`);
        io.out(JSON.stringify({ userId: existing.id, username: existing.username, existed: true }));
        return 0;
      }
    }
    const { user, totpSecret, otpauthUri } = await users.create(
      { username: cmd.username, password: cmd.password, roles: cmd.roles, towns: cmd.towns, totpSecret: cmd.totpSecret },
      { system: 'cli' },
    );
    io.out(`created user ${user.username} (${user.id}) roles=${user.roles.join(',')} towns=${user.towns.join(',') || '-'}`);
    if (totpSecret) {
      io.out(`TOTP secret (shown once): ${totpSecret}`);
      io.out(`otpauth URI: ${otpauthUri}`);
    }
    io.out(JSON.stringify({ userId: user.id, username: user.username, ...(totpSecret ? { totpSecret, otpauthUri } : {}) }));
    return 0;
  });
}

async function partnerCreate(cmd: Extract<CliCommand, { command: 'partner:create' }>, io: CliIO): Promise<number> {
  if (cmd.ifNotExists && !cmd.clientId) throw new UsageError('--if-not-exists needs --client-id');
  return withIdentityAdmin(adminConfig(io.env), async ({ partners }) => {
    if (cmd.ifNotExists && cmd.clientId) {
      const existing = await partners.findByClientId(cmd.clientId);
      if (existing) {
        io.out(`partner client ${existing.clientId} exists; its secret is not shown again`);
        io.out(JSON.stringify({ clientId: existing.clientId, existed: true }));
        return 0;
      }
    }
    const { client, clientSecret } = await partners.create(
      { kind: cmd.kind, name: cmd.name, agencyId: cmd.agencyId, clientId: cmd.clientId, scopes: cmd.scopes },
      { system: 'cli' },
    );
    io.out(`created partner client ${client.clientId} for ${client.agencyKind} ${client.agencyName} (agency ${client.agencyId})`);
    io.out(JSON.stringify({ clientId: client.clientId, clientSecret }));
    return 0;
  });
}

type PartnerStateCommand = Extract<CliCommand, { command: 'partner:deactivate' | 'partner:activate' | 'partner:rotate-secret' }>;

/** partner:deactivate / partner:activate / partner:rotate-secret (issue 6 item 8). */
async function partnerState(cmd: PartnerStateCommand, io: CliIO): Promise<number> {
  return withIdentityAdmin(adminConfig(io.env), async ({ partners }) => {
    if (cmd.command === 'partner:rotate-secret') {
      const r = await partners.rotateSecret(cmd.clientId, { system: 'cli' });
      const until = r.previousSecretValidUntil.toISOString();
      io.out(`rotated the secret of partner client ${r.client.clientId}; the previous secret is accepted until ${until}`);
      io.out(JSON.stringify({ clientId: r.client.clientId, clientSecret: r.clientSecret, previousSecretValidUntil: until }));
      return 0;
    }
    const active = cmd.command === 'partner:activate';
    const client = await partners.setActive(cmd.clientId, active, { system: 'cli' });
    io.out(active ? `partner client ${client.clientId} is active` : `partner client ${client.clientId} is deactivated; its tokens are revoked`);
    io.out(JSON.stringify({ clientId: client.clientId, active: client.active }));
    return 0;
  });
}

/** Prints the secrets `npm start` keeps in `<data dir>/demo-credentials.json` (issue 6 item 16: only on request). */
function demoCredentials(cmd: Extract<CliCommand, { command: 'demo:credentials' }>, io: CliIO): number {
  const dataDir = resolve(cmd.dataDir ?? io.env.HOMEWARD_DATA_DIR ?? join(ROOT, '.data'));
  const file = demoCredentialsFile(dataDir);
  const creds = readDemoCredentials(file);
  if (!creds) {
    io.err(`no demo credentials in ${file}: run npm start first / 尚未生成演示账号`);
    return 1;
  }
  demoSecretLines(creds).forEach((line) => io.out(line));
  return 0;
}

/** Runs one CLI invocation; returns the exit code (2 = bad arguments, 1 = refused or failed). */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let cmd: CliCommand;
  try {
    cmd = parseCliArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n`);
      io.err(USAGE);
      return 2;
    }
    throw e;
  }
  try {
    switch (cmd.command) {
      case 'help':
        io.out(USAGE);
        return 0;
      case 'migrate':
        return await migrate(io);
      case 'seed':
        return await seed(io);
      case 'demo:credentials':
        return demoCredentials(cmd, io);
      case 'partner:deactivate':
      case 'partner:activate':
      case 'partner:rotate-secret':
        return await partnerState(cmd, io);
      case 'audit:verify':
        return await auditVerify(io);
      case 'user:create':
        return await userCreate(cmd, io);
      case 'partner:create':
        return await partnerCreate(cmd, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}\n`);
      io.err(USAGE);
      return 2;
    }
    if (e instanceof DomainError) {
      io.err(`refused (${e.code}${e.field ? `, ${e.field}` : ''}): ${e.message}`);
      return 1;
    }
    if (e instanceof ConfigError) {
      io.err(`configuration: ${e.message}`);
      return 1;
    }
    io.err(`failed: ${(e as Error).stack ?? String(e)}`);
    return 1;
  }
}

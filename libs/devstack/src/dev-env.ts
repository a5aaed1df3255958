import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT_DIR, cliEnv, type AppName, type StackSettings } from './apps';
import { operatorTunables } from './processes';
import { type DevSecrets } from './secrets';

/**
 * What `npm start` found and chose (no secret): written to `<dataDir>/dev-stack.json` once the
 * infrastructure is up, so the admin CLI run beside it (`npm run cli -- …`) reaches the same
 * database, Redis and identity with no variable to export (issue 8 item 8).
 */
export interface DevStackState {
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  ports: Record<AppName, number>;
  /** The data folder that made it (absolute). */
  dataDir: string;
  startedAt: string;
}

export function devStackStateFile(dataDir: string): string {
  return path.join(dataDir, 'dev-stack.json');
}

/** The data folder of `npm start` and the CLI: HOMEWARD_DATA_DIR, else `.data/` at the repository root. */
export function devDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.HOMEWARD_DATA_DIR || path.join(ROOT_DIR, '.data'));
}

/**
 * The settings `npm start` runs the apps with: what it found and chose, plus the operator's tunables
 * from its own environment (RATE_LIMIT_PER_MINUTE, BUS_MAX_ATTEMPTS, …; {@link operatorTunables}),
 * which the child processes would otherwise lose (issue 13).
 */
export function devStackSettings(found: Omit<StackSettings, 'nodeEnv' | 'extra'>, env: NodeJS.ProcessEnv = process.env): StackSettings {
  const extra = operatorTunables(env);
  return { nodeEnv: 'development', ...found, ...(Object.keys(extra).length ? { extra } : {}) };
}

export function saveDevStackState(dataDir: string, settings: StackSettings): void {
  const state: DevStackState = {
    databaseUrl: settings.databaseUrl,
    redisUrl: settings.redisUrl,
    redisPrefix: settings.redisPrefix,
    ports: settings.ports,
    dataDir,
    startedAt: new Date().toISOString(),
  };
  fs.writeFileSync(devStackStateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

const DATABASE_URL_VARIABLE = /(^|_)DATABASE_URL$/;

/**
 * The admin CLI's environment beside a dev stack: the variables `npm start` gives its own CLI runs
 * (database URLs, Redis, the dev secrets of `<dataDir>/dev-secrets.json`), under whatever the caller
 * set explicitly — an explicit variable always wins, and an explicit DATABASE_URL or
 * MIGRATION_DATABASE_URL means none of the stack's database URLs is used. Nothing is added in
 * production, or when the data folder holds neither file. `source` says what was used (for one line).
 */
export function devCliEnv(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; source?: string } {
  if (env.NODE_ENV === 'production') return { env };
  const dataDir = devDataDir(env);
  const secrets = readJson<Partial<DevSecrets>>(path.join(dataDir, 'dev-secrets.json'));
  const state = readJson<DevStackState>(devStackStateFile(dataDir));
  if (!secrets?.FIELD_ENCRYPTION_KEY || !secrets.PERSON_KEY_SECRET) return { env };
  let defaults: Record<string, string> = {
    FIELD_ENCRYPTION_KEY: secrets.FIELD_ENCRYPTION_KEY,
    PERSON_KEY_SECRET: secrets.PERSON_KEY_SECRET,
    ...(secrets.AUDIT_CHAIN_KEY ? { AUDIT_CHAIN_KEY: secrets.AUDIT_CHAIN_KEY } : {}),
  };
  if (state?.databaseUrl && state.ports) {
    defaults = cliEnv({
      nodeEnv: 'development',
      databaseUrl: state.databaseUrl,
      redisUrl: state.redisUrl,
      redisPrefix: state.redisPrefix,
      ports: state.ports,
      fieldEncryptionKey: secrets.FIELD_ENCRYPTION_KEY,
      personKeySecret: secrets.PERSON_KEY_SECRET,
      auditChainKey: secrets.AUDIT_CHAIN_KEY ?? '',
    });
    if (!defaults.AUDIT_CHAIN_KEY) delete defaults.AUDIT_CHAIN_KEY;
    if (env.DATABASE_URL || env.MIGRATION_DATABASE_URL) {
      for (const key of Object.keys(defaults)) if (DATABASE_URL_VARIABLE.test(key)) delete defaults[key];
    }
  }
  const merged: NodeJS.ProcessEnv = { ...defaults };
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') merged[key] = value;
  if (!Object.keys(defaults).some((key) => !env[key])) return { env };
  const where = dataDir.startsWith(`${ROOT_DIR}${path.sep}`) ? path.relative(ROOT_DIR, dataDir) : dataDir;
  return { env: merged, source: state ? `the dev stack's database and secrets in ${where}/ (npm start)` : `the dev secrets in ${where}/` };
}

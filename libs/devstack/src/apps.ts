import * as path from 'node:path';

/** Repository root (libs/devstack/src/ → ../../..). */
export const ROOT_DIR = path.resolve(__dirname, '..', '..', '..');

export type AppName = 'gateway' | 'identity' | 'community-correction' | 'resettlement' | 'aftercare' | 'alerts';

export interface AppSpec {
  name: AppName;
  /** Default port (docs/internals.md). */
  port: number;
  /** Env var the other apps use to reach this one. */
  urlEnv: string;
  /** PostgreSQL schema it owns, if any. */
  schema?: string;
  /** The login role it connects as (`hw_<schema>`, created by the platform migrations; issue 6 item 3). */
  dbRole?: string;
  /** The CLI variable carrying this app's own database URL, so `migrate` can set the role's password. */
  dbUrlEnv?: string;
  /** Source entry point, relative to ROOT_DIR. */
  entry: string;
}

function app(name: AppName, port: number, urlEnv: string, schema?: string): AppSpec {
  const db = schema ? { dbRole: `hw_${schema}`, dbUrlEnv: `${schema.toUpperCase()}_DATABASE_URL` } : {};
  return { name, port, urlEnv, schema, ...db, entry: `apps/${name}/src/main.ts` };
}

/** The auditor's login role (reads audit.events and audit.anchors) and the CLI variable with its URL. */
export const AUDITOR_DB_ROLE = 'hw_auditor';
export const AUDITOR_DB_URL_ENV = 'AUDITOR_DATABASE_URL';

/**
 * `url` with its user replaced by `role` (the password is kept: with trust auth it is ignored, the
 * embedded PostgreSQL's roles get the same development password from `migrate`).
 */
export function databaseUrlAs(url: string, role: string): string {
  const u = new URL(url);
  u.username = role;
  return u.toString();
}

/** The six apps, in start order: the gateway last (it composes the subgraphs). */
export const APPS: readonly AppSpec[] = [
  app('identity', 3001, 'IDENTITY_URL', 'identity'),
  app('community-correction', 3002, 'CORRECTION_URL', 'correction'),
  app('resettlement', 3003, 'RESETTLEMENT_URL', 'resettlement'),
  app('aftercare', 3004, 'AFTERCARE_URL', 'aftercare'),
  app('alerts', 3005, 'ALERTS_URL', 'alerts'),
  app('gateway', 3000, 'GATEWAY_URL'),
];

export const SERVICE_APPS: readonly AppName[] = ['community-correction', 'resettlement', 'aftercare', 'alerts'];

/** Everything the stack launcher knows about the environment it is building. */
export interface StackSettings {
  nodeEnv: 'development' | 'test' | 'production';
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  fieldEncryptionKey: string;
  personKeySecret: string;
  /** SUBGRAPH_SHARED_SECRET of every app (issue 6 item 12); unset: none (development only). */
  subgraphSharedSecret?: string;
  /** AUDIT_CHAIN_KEY: the HMAC key of the audit chain (issue 6 item 3). */
  auditChainKey: string;
  ports: Record<AppName, number>;
  host?: string;
  logLevel?: string;
  clockControl?: boolean;
  alertSweepIntervalSeconds?: number;
  /** Extra variables given to every app (override the computed ones). */
  extra?: Record<string, string>;
}

export function appUrl(settings: Pick<StackSettings, 'ports' | 'host'>, name: AppName): string {
  return `http://${settings.host ?? '127.0.0.1'}:${settings.ports[name]}`;
}

/**
 * The environment of one app, exactly the variables docs/internals.md gives it
 * (the gateway gets no database and no secrets; identity does not need IDENTITY_URL).
 */
export function appEnv(name: AppName, s: StackSettings): Record<string, string> {
  const env: Record<string, string> = {
    NODE_ENV: s.nodeEnv,
    PORT: String(s.ports[name]),
    REDIS_URL: s.redisUrl,
    REDIS_PREFIX: s.redisPrefix,
    LOG_LEVEL: s.logLevel ?? 'info',
    CLOCK_CONTROL: s.clockControl ? 'true' : 'false',
  };
  if (s.subgraphSharedSecret) env.SUBGRAPH_SHARED_SECRET = s.subgraphSharedSecret;
  if (name !== 'gateway') {
    const spec = APPS.find((a) => a.name === name);
    // Each app connects as its own least-privilege role; `databaseUrl` is the migrator's (issue 6 item 3).
    env.DATABASE_URL = spec?.dbRole ? databaseUrlAs(s.databaseUrl, spec.dbRole) : s.databaseUrl;
    env.FIELD_ENCRYPTION_KEY = s.fieldEncryptionKey;
    env.PERSON_KEY_SECRET = s.personKeySecret;
    env.AUDIT_CHAIN_KEY = s.auditChainKey;
  }
  if (name !== 'identity') env.IDENTITY_URL = appUrl(s, 'identity');
  if (name === 'gateway') {
    for (const a of APPS) if (a.name !== 'gateway') env[a.urlEnv] = appUrl(s, a.name);
  }
  if (name === 'alerts' && s.alertSweepIntervalSeconds !== undefined) {
    env.ALERT_SWEEP_INTERVAL_SECONDS = String(s.alertSweepIntervalSeconds);
  }
  return { ...env, ...(s.extra ?? {}) };
}

/**
 * Environment for the admin CLI (migrate, seed, user:create, partner:create, audit:verify): the
 * migrator's URL, and every app role's URL so `migrate` gives the roles the same password.
 */
export function cliEnv(s: StackSettings): Record<string, string> {
  const roleUrls: Record<string, string> = { [AUDITOR_DB_URL_ENV]: databaseUrlAs(s.databaseUrl, AUDITOR_DB_ROLE) };
  for (const a of APPS) if (a.dbRole && a.dbUrlEnv) roleUrls[a.dbUrlEnv] = databaseUrlAs(s.databaseUrl, a.dbRole);
  return {
    NODE_ENV: s.nodeEnv,
    DATABASE_URL: s.databaseUrl,
    MIGRATION_DATABASE_URL: s.databaseUrl,
    ...roleUrls,
    AUDIT_CHAIN_KEY: s.auditChainKey,
    REDIS_URL: s.redisUrl,
    REDIS_PREFIX: s.redisPrefix,
    FIELD_ENCRYPTION_KEY: s.fieldEncryptionKey,
    PERSON_KEY_SECRET: s.personKeySecret,
    IDENTITY_URL: appUrl(s, 'identity'),
    LOG_LEVEL: s.logLevel ?? 'warn',
    ...(s.extra ?? {}),
  };
}

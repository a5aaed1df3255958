import * as path from 'node:path';

/** Repository root (scripts/stack/ → ../..). */
export const ROOT_DIR = path.resolve(__dirname, '..', '..');

export type AppName = 'gateway' | 'identity' | 'community-correction' | 'resettlement' | 'aftercare' | 'alerts';

export interface AppSpec {
  name: AppName;
  /** Default port (docs/internals.md). */
  port: number;
  /** Env var the other apps use to reach this one. */
  urlEnv: string;
  /** PostgreSQL schema it owns, if any. */
  schema?: string;
  /** Source entry point, relative to ROOT_DIR. */
  entry: string;
}

function app(name: AppName, port: number, urlEnv: string, schema?: string): AppSpec {
  return { name, port, urlEnv, schema, entry: `apps/${name}/src/main.ts` };
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
    env.DATABASE_URL = s.databaseUrl;
    env.FIELD_ENCRYPTION_KEY = s.fieldEncryptionKey;
    env.PERSON_KEY_SECRET = s.personKeySecret;
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

/** Environment for the admin CLI (migrate, seed, user:create, partner:create). */
export function cliEnv(s: StackSettings): Record<string, string> {
  return {
    NODE_ENV: s.nodeEnv,
    DATABASE_URL: s.databaseUrl,
    REDIS_URL: s.redisUrl,
    REDIS_PREFIX: s.redisPrefix,
    FIELD_ENCRYPTION_KEY: s.fieldEncryptionKey,
    PERSON_KEY_SECRET: s.personKeySecret,
    IDENTITY_URL: appUrl(s, 'identity'),
    LOG_LEVEL: s.logLevel ?? 'warn',
    ...(s.extra ?? {}),
  };
}

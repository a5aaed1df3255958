import { DynamicModule, Module } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { Clock, createApp, loadConfig } from '@homeward/platform';
import type { TestKeys } from '@homeward/platform/testing';
import { APPS } from '@homeward/devstack';
import { createTestDatabase, type TestDatabase } from './database';
import { flushRedisPrefix, testRedisPrefix, testRedisUrl } from './redis';

/** PERSON_KEY_SECRET every booted service app gets unless `env` overrides it. */
export const TEST_PERSON_KEY_SECRET = 'medium-test-person-key-secret-0123456789';
/** FIELD_ENCRYPTION_KEY (base64 of 32 bytes) every booted service app gets unless `env` overrides it. */
export const TEST_FIELD_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString('base64');
/** AUDIT_CHAIN_KEY every booted service app gets unless `env` overrides it (issue 6 item 3). */
export const TEST_AUDIT_CHAIN_KEY = 'medium-test-audit-chain-key-0123456789abcdef';

/** The login role of the app with service name `name` (`hw_<schema>`), as the launcher gives it. */
export function testDatabaseRoleOf(name: string): string {
  const spec = APPS.find((a) => a.name === name);
  if (!spec?.dbRole) throw new Error(`bootServiceApp: no database role for app "${name}" (libs/devstack/src/apps.ts)`);
  return spec.dbRole;
}

/** What a service's `AppModule.forRoot(overrides)` takes in tests. */
export interface ServiceAppOverrides<C> {
  configInstance: C;
  jwks: { useValue: TestKeys['provider'] };
  clock: Clock;
}

export interface ServiceAppOptions<C extends object> {
  /** Service name for createApp (logs, metrics), e.g. 'community-correction'. */
  name: string;
  /** `(overrides) => AppModule.forRoot(overrides)`. */
  appModule: (overrides: ServiceAppOverrides<C>) => DynamicModule;
  /** The service's config class, loaded with loadConfig. */
  config: new () => C;
  /** Tokens minted with these keys are accepted by the app. */
  keys: TestKeys;
  clock: Clock;
  /** Redis key prefix; default a fresh `testRedisPrefix(name)`. */
  prefix?: string;
  /** Extra variables, or overrides of the defaults (NODE_ENV, DATABASE_URL, REDIS_*, keys, IDENTITY_URL, LOG_LEVEL). */
  env?: Record<string, string>;
}

export interface ServiceApp<C> {
  app: NestExpressApplication;
  /** The app's own DataSource: connected as its login role (no SELECT on audit.events: use `db.query`). */
  dataSource: DataSource;
  db: TestDatabase;
  /** The Redis key prefix the app uses. */
  prefix: string;
  redisUrl: string;
  /** The loaded config instance handed to the app. */
  config: C;
  /** Closes the app, drops the database and deletes the prefix's Redis keys. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The environment a service app gets in a medium test (before `env` overrides): NODE_ENV test, the
 * database and Redis prefix given, the test keys, an unreachable IDENTITY_URL, LOG_LEVEL silent, no
 * periodic indicator snapshots.
 * Also for loading another service's config against the same database. With `role` (issue 6 item 3)
 * the app connects as that login role and migrates as `databaseUrl` (MIGRATION_DATABASE_URL) first,
 * as in production where the app's own role may not run DDL.
 */
export function testServiceEnv(databaseUrl: string, redisPrefix: string, role?: string): Record<string, string> {
  let appUrl = databaseUrl;
  if (role) {
    const u = new URL(databaseUrl);
    u.username = role;
    appUrl = u.toString();
  }
  return {
    NODE_ENV: 'test',
    DATABASE_URL: appUrl,
    ...(role ? { MIGRATION_DATABASE_URL: databaseUrl } : {}),
    AUDIT_CHAIN_KEY: TEST_AUDIT_CHAIN_KEY,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: redisPrefix,
    FIELD_ENCRYPTION_KEY: TEST_FIELD_ENCRYPTION_KEY,
    PERSON_KEY_SECRET: TEST_PERSON_KEY_SECRET,
    IDENTITY_URL: 'http://127.0.0.1:1',
    LOG_LEVEL: 'silent',
    // Issue 11 item 6: the workstreams' periodic indicator snapshots stay off (tests publish them when they mean to).
    INDICATOR_SNAPSHOT_INTERVAL_SECONDS: '0',
  };
}

/**
 * Boots one service app for a medium test file: a fresh database, a unique Redis prefix,
 * its config loaded from a test environment, `AppModule.forRoot({ configInstance, jwks, clock })`
 * through createApp (no logger). Use in beforeAll, and `await svc?.close()` in afterAll.
 */
export async function bootServiceApp<C extends object>(opts: ServiceAppOptions<C>): Promise<ServiceApp<C>> {
  const db = await createTestDatabase();
  const redisUrl = testRedisUrl();
  const prefix = opts.prefix ?? testRedisPrefix(opts.name);
  let app: NestExpressApplication | undefined;
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      try {
        await app?.close();
      } finally {
        await db.drop();
        await flushRedisPrefix(redisUrl, prefix);
      }
    })();
    return closed;
  };
  try {
    const env: Record<string, string> = { ...testServiceEnv(db.url, prefix, testDatabaseRoleOf(opts.name)), ...opts.env };
    if (env.NODE_ENV === 'production' && env.MIGRATION_DATABASE_URL) {
      // A production app never migrates (issue 6 item 3): migrate first, as the migration Job would, with
      // a short boot in test mode, then start the production app without the migrator's URL.
      const migrating = loadConfig(opts.config, { ...env, NODE_ENV: 'test' });
      @Module({ imports: [opts.appModule({ configInstance: migrating, jwks: { useValue: opts.keys.provider }, clock: opts.clock })] })
      class MigrateFirst {}
      await (await createApp(MigrateFirst, { name: opts.name, defaultPort: 0, logger: false })).close();
      delete env.MIGRATION_DATABASE_URL;
    }
    const config = loadConfig(opts.config, env);
    @Module({ imports: [opts.appModule({ configInstance: config, jwks: { useValue: opts.keys.provider }, clock: opts.clock })] })
    class TestApp {}
    app = await createApp(TestApp, { name: opts.name, defaultPort: 0, logger: false });
    return { app, dataSource: app.get(DataSource), db, prefix, redisUrl, config, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * Test support for identity's medium tests (not a test itself; the name keeps it out of the build and of
 * jest's test patterns). Builds the identity config for a fresh test database and Redis prefix.
 */
import { randomBytes } from 'node:crypto';
import { appDatabaseRole, loadConfig } from '@homeward/platform';
import { testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { IdentityConfig } from './config';

/** The same database as identity's own login role (issue 6 item 3). */
export function asIdentityRole(databaseUrl: string): string {
  const u = new URL(databaseUrl);
  u.username = appDatabaseRole('identity');
  return u.toString();
}

/**
 * `databaseUrl` is the migrator's (the test server's superuser): the app migrates with it
 * (MIGRATION_DATABASE_URL) and then connects as `hw_identity`, as in production.
 */
export function testIdentityEnv(databaseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: asIdentityRole(databaseUrl),
    MIGRATION_DATABASE_URL: databaseUrl,
    AUDIT_CHAIN_KEY: 'identity-medium-test-audit-chain-key-0123456789',
    DATABASE_POOL_SIZE: '4',
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: testRedisPrefix('identity'),
    FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PERSON_KEY_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'silent',
    // Tests log in far more often than people do; the rate-limit tests set their own limits (issue 6 item 9).
    LOGIN_RATE_LIMIT_PER_IP: '100000',
    LOGIN_RATE_LIMIT_PER_ACCOUNT: '100000',
    LOGIN_CONCURRENCY_PER_IP: '1000',
    ...extra,
  };
}

export function testIdentityConfig(databaseUrl: string, extra: Record<string, string> = {}): IdentityConfig {
  return loadConfig(IdentityConfig, testIdentityEnv(databaseUrl, extra));
}

export const STRONG_PASSWORD = 'Correct-Horse-9';

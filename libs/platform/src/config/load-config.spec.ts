import { IsString } from 'class-validator';
import { BaseConfig, DatabaseConfig, ServiceConfig } from './base-config';
import { ConfigError, describeConfig, loadConfig } from './load-config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const SECRET = 's'.repeat(32);

function serviceEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    REDIS_URL: 'redis://127.0.0.1:6379',
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/hw',
    FIELD_ENCRYPTION_KEY: KEY,
    PERSON_KEY_SECRET: SECRET,
    AUDIT_CHAIN_KEY: SECRET,
    IDENTITY_URL: 'http://127.0.0.1:3001',
    ...overrides,
  };
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

class CorrectionConfig extends ServiceConfig {
  @IsString()
  EXTRA_THING: string;
}

describe(loadConfig.name, () => {
  it('applies defaults and converts numbers and booleans', () => {
    const cfg = loadConfig(ServiceConfig, serviceEnv({ PORT: '3100', CLOCK_CONTROL: 'true', DATABASE_POOL_SIZE: '4' }));
    expect(cfg.PORT).toBe(3100);
    expect(cfg.CLOCK_CONTROL).toBe(true);
    expect(cfg.DATABASE_POOL_SIZE).toBe(4);
    expect(cfg.NODE_ENV).toBe('development');
    expect(cfg.REDIS_PREFIX).toBe('hw');
    expect(cfg.LOG_LEVEL).toBe('info');
    expect(cfg.RATE_LIMIT_PER_MINUTE).toBe(600);
    expect(cfg).toBeInstanceOf(ServiceConfig);
  });

  it('names every missing variable, including those of the subclass', () => {
    const err = errorOf(() => loadConfig(CorrectionConfig, serviceEnv({ DATABASE_URL: undefined, REDIS_URL: '' })));
    const names = err.problems.map((p) => p.name).sort();
    expect(names).toEqual(['DATABASE_URL', 'EXTRA_THING', 'REDIS_URL']);
    expect(err.message).toContain('DATABASE_URL: is missing');
  });

  it('names a bad value and why, without printing secrets', () => {
    const badKey = Buffer.alloc(16, 1).toString('base64');
    const err = errorOf(() =>
      loadConfig(ServiceConfig, serviceEnv({ FIELD_ENCRYPTION_KEY: badKey, PERSON_KEY_SECRET: 'short-secret', PORT: 'abc' })),
    );
    expect(err.problems.map((p) => p.name).sort()).toEqual(['FIELD_ENCRYPTION_KEY', 'PERSON_KEY_SECRET', 'PORT']);
    expect(err.message).toContain('FIELD_ENCRYPTION_KEY must be base64 of exactly 32 bytes');
    expect(err.message).not.toContain(badKey);
    expect(err.message).not.toContain('short-secret');
  });

  it('refuses CLOCK_CONTROL=true with NODE_ENV=production', () => {
    const err = errorOf(() => loadConfig(ServiceConfig, serviceEnv({ NODE_ENV: 'production', CLOCK_CONTROL: 'true', SUBGRAPH_SHARED_SECRET: 'x'.repeat(32) })));
    expect(err.problems.map((p) => p.name)).toEqual(['CLOCK_CONTROL']);
  });

  it('issue 6 item 3: needs an AUDIT_CHAIN_KEY of ≥ 32 characters, never printed', () => {
    expect(errorOf(() => loadConfig(ServiceConfig, serviceEnv({ AUDIT_CHAIN_KEY: undefined }))).problems.map((p) => p.name)).toEqual(['AUDIT_CHAIN_KEY']);
    const err = errorOf(() => loadConfig(ServiceConfig, serviceEnv({ AUDIT_CHAIN_KEY: 'too-short-key' })));
    expect(err.problems.map((p) => p.name)).toEqual(['AUDIT_CHAIN_KEY']);
    expect(err.message).not.toContain('too-short-key');
    expect(loadConfig(ServiceConfig, serviceEnv()).AUDIT_ANCHOR_INTERVAL_SECONDS).toBe(300);
  });

  it('issue 6 item 3: refuses MIGRATION_DATABASE_URL for an app in production (the migration Job migrates)', () => {
    const migrator = 'postgres://postgres@127.0.0.1:5432/hw';
    expect(loadConfig(ServiceConfig, serviceEnv({ NODE_ENV: 'test', MIGRATION_DATABASE_URL: migrator })).MIGRATION_DATABASE_URL).toBe(migrator);
    const err = errorOf(() => loadConfig(ServiceConfig, serviceEnv({ NODE_ENV: 'production', MIGRATION_DATABASE_URL: migrator, SUBGRAPH_SHARED_SECRET: 'x'.repeat(32) })));
    expect(err.problems.map((p) => p.name)).toEqual(['MIGRATION_DATABASE_URL']);
  });

  it('rejects a non-boolean CLOCK_CONTROL and an unknown NODE_ENV', () => {
    const err = errorOf(() => loadConfig(BaseConfig, { REDIS_URL: 'redis://x', CLOCK_CONTROL: 'maybe', NODE_ENV: 'staging' }));
    expect(err.problems.map((p) => p.name).sort()).toEqual(['CLOCK_CONTROL', 'NODE_ENV']);
  });

  it('rejects a DATABASE_URL that is not postgres', () => {
    const err = errorOf(() => loadConfig(DatabaseConfig, { REDIS_URL: 'redis://x', DATABASE_URL: 'mysql://x/y' }));
    expect(err.problems.map((p) => p.name)).toEqual(['DATABASE_URL']);
  });
});

describe(describeConfig.name, () => {
  it('lists required variables and defaults', () => {
    const vars = describeConfig(ServiceConfig);
    const byName = new Map(vars.map((v) => [v.name, v]));
    expect(byName.get('DATABASE_URL')).toEqual({ name: 'DATABASE_URL', required: true });
    expect(byName.get('REDIS_URL')?.required).toBe(true);
    expect(byName.get('IDENTITY_URL')?.required).toBe(true);
    expect(byName.get('PORT')).toEqual({ name: 'PORT', required: false });
    expect(byName.get('REDIS_PREFIX')).toEqual({ name: 'REDIS_PREFIX', required: false, default: 'hw' });
    expect(byName.get('DATABASE_POOL_SIZE')).toEqual({ name: 'DATABASE_POOL_SIZE', required: false, default: 10 });
    expect(byName.get('CLOCK_CONTROL')).toEqual({ name: 'CLOCK_CONTROL', required: false, default: false });
  });

  it('does not list database variables for the base config', () => {
    expect(describeConfig(BaseConfig).map((v) => v.name)).not.toContain('DATABASE_URL');
  });
});

/** The admin CLI beside `npm start` (issue 8 item 8): the dev stack's settings fill what is not set. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { APPS, type AppName, type StackSettings } from './apps';
import { devCliEnv, saveDevStackState } from './dev-env';
import { generateSecrets } from './secrets';

describe('devCliEnv', () => {
  let dataDir: string;
  const secrets = generateSecrets();
  const ports = Object.fromEntries(APPS.map((a) => [a.name, a.port + 1000])) as Record<AppName, number>;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-dev-env-'));
    fs.writeFileSync(path.join(dataDir, 'dev-secrets.json'), JSON.stringify(secrets));
    const settings: StackSettings = {
      nodeEnv: 'development',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/hw_dev_env',
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'hwdev',
      fieldEncryptionKey: secrets.FIELD_ENCRYPTION_KEY,
      personKeySecret: secrets.PERSON_KEY_SECRET,
      auditChainKey: secrets.AUDIT_CHAIN_KEY,
      ports,
    };
    saveDevStackState(dataDir, settings);
  });

  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('issue 8 item 8: with nothing exported, the CLI gets npm start\'s database, Redis, identity URL and dev secrets', () => {
    expect(fs.readFileSync(path.join(dataDir, 'dev-stack.json'), 'utf8')).not.toContain(secrets.FIELD_ENCRYPTION_KEY);
    const { env, source } = devCliEnv({ HOMEWARD_DATA_DIR: dataDir });
    expect(source).toContain('npm start');
    expect(env).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/hw_dev_env',
      MIGRATION_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/hw_dev_env',
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: 'hwdev',
      IDENTITY_URL: `http://127.0.0.1:${ports.identity}`,
      FIELD_ENCRYPTION_KEY: secrets.FIELD_ENCRYPTION_KEY,
      PERSON_KEY_SECRET: secrets.PERSON_KEY_SECRET,
      AUDIT_CHAIN_KEY: secrets.AUDIT_CHAIN_KEY,
    });
    expect(env.CORRECTION_DATABASE_URL).toMatch(/^postgres:\/\/hw_correction@/);
  });

  it('issue 8 item 8: an explicit variable wins, and an explicit DATABASE_URL takes none of the stack\'s database URLs', () => {
    const { env } = devCliEnv({ HOMEWARD_DATA_DIR: dataDir, DATABASE_URL: 'postgres://me@db.example/other', REDIS_PREFIX: 'mine' });
    expect(env.DATABASE_URL).toBe('postgres://me@db.example/other');
    expect(env.MIGRATION_DATABASE_URL).toBeUndefined();
    expect(env.CORRECTION_DATABASE_URL).toBeUndefined();
    expect(env.REDIS_PREFIX).toBe('mine');
    expect(env.FIELD_ENCRYPTION_KEY).toBe(secrets.FIELD_ENCRYPTION_KEY);
  });

  it('issue 8 item 8: adds nothing in production, or when the data folder holds no dev secrets', () => {
    expect(devCliEnv({ HOMEWARD_DATA_DIR: dataDir, NODE_ENV: 'production' })).toEqual({ env: { HOMEWARD_DATA_DIR: dataDir, NODE_ENV: 'production' } });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-dev-env-empty-'));
    try {
      expect(devCliEnv({ HOMEWARD_DATA_DIR: empty }).source).toBeUndefined();
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

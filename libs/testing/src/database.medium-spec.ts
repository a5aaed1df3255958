/**
 * The per-file test database (libs/testing): dropping it right after the test's own queries must
 * not raise an unhandled 57P01 from a pool client that is still closing (a whole medium file
 * failed in CI that way after all its tests had passed). Real PostgreSQL.
 */
import { Client } from 'pg';
import { createTestDatabase, migratedTemplate, testAdminDatabaseUrl, testNamespace } from './database';
import { schemaFingerprint, schemaFingerprintInputs } from './schema-fingerprint';

jest.setTimeout(120_000);

describe('createTestDatabase().drop() (real PostgreSQL)', () => {
  it('drops the database right after parallel queries, with every test-pool socket closed first and no unhandled error', async () => {
    const unhandled: unknown[] = [];
    const onError = (e: unknown): void => void unhandled.push(e);
    process.on('uncaughtException', onError);
    try {
      for (let i = 0; i < 10; i += 1) {
        const db = await createTestDatabase();
        // Two clients busy at once, so both are open when the pool ends.
        await Promise.all([db.query('SELECT pg_sleep(0.01)'), db.query('SELECT 1')]);
        await db.drop();
        const admin = new Client({ connectionString: testAdminDatabaseUrl() });
        await admin.connect();
        try {
          const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_database WHERE datname = $1`, [db.name]);
          expect(rows[0].n).toBe(0);
        } finally {
          await admin.end();
        }
      }
    } finally {
      process.removeListener('uncaughtException', onError);
    }
    expect(unhandled).toEqual([]);
  });
});

describe('migratedTemplate (a migrated database copied per e2e file; real PostgreSQL)', () => {
  const fingerprint = `test${Date.now().toString(16)}${Math.random().toString(16).slice(2, 10)}`;
  const admin = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    const c = new Client({ connectionString: testAdminDatabaseUrl() });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const build = jest.fn(async (url: string) => {
    const c = new Client({ connectionString: url });
    await c.connect();
    await c.query(`CREATE TABLE built (v text); INSERT INTO built VALUES ('once')`);
    await c.end();
  });

  afterAll(async () => {
    await admin((c) => c.query(`DROP DATABASE IF EXISTS "${testNamespace()}_tpl_test_${fingerprint.slice(0, 24)}"`));
  });

  it('builds once per fingerprint (two files asking at once wait for one build), and every copy is a fresh database with what was built', async () => {
    const [a, b] = await Promise.all([migratedTemplate(fingerprint, build, 'test'), migratedTemplate(fingerprint, build, 'test')]);
    expect(a).toBe(b);
    expect(build).toHaveBeenCalledTimes(1);
    const one = await createTestDatabase({ template: a });
    const two = await createTestDatabase({ template: a });
    try {
      expect(await one.query(`SELECT v FROM built`)).toEqual([{ v: 'once' }]);
      await one.query(`INSERT INTO built VALUES ('only in one')`);
      expect(await two.query(`SELECT v FROM built`)).toEqual([{ v: 'once' }]);
    } finally {
      await one.drop();
      await two.drop();
    }
  });

  it('never leaves a half-built template: a failed build is dropped and the next call builds again', async () => {
    const other = `${fingerprint}f`;
    await expect(migratedTemplate(other, async () => Promise.reject(new Error('migration 42 failed')), 'test')).rejects.toThrow('migration 42 failed');
    const left = await admin((c) => c.query(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [`${testNamespace()}_tpl_test_${other.slice(0, 24)}`]));
    expect(left.rows).toEqual([]);
  });
});

describe('schemaFingerprint', () => {
  it('covers the migrations, the seed, the reference files and the CLI, never a test file', () => {
    const inputs = schemaFingerprintInputs();
    expect(inputs.some((f) => f.startsWith('apps/alerts/src/migrations/'))).toBe(true);
    expect(inputs).toContain('apps/community-correction/src/seed.ts');
    expect(inputs.some((f) => f.startsWith('libs/domain/src/reference/'))).toBe(true);
    expect(inputs).toContain('libs/platform/src/database/platform-migrations.ts');
    expect(inputs.some((f) => /spec\.ts$/.test(f))).toBe(false);
    expect(schemaFingerprint()).toMatch(/^[0-9a-f]{64}$/);
  });
});

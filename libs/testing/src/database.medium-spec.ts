/**
 * The per-file test database (libs/testing): dropping it right after the test's own queries must
 * not raise an unhandled 57P01 from a pool client that is still closing (a whole medium file
 * failed in CI that way after all its tests had passed). Real PostgreSQL.
 */
import { Client } from 'pg';
import { createTestDatabase, testAdminDatabaseUrl } from './database';

jest.setTimeout(120_000);

describe('createTestDatabase().drop() (real PostgreSQL)', () => {
  it('drops the database right after parallel queries, with every test-pool socket closed first and no unhandled error', async () => {
    const unhandled: unknown[] = [];
    const onError = (e: unknown): void => void unhandled.push(e);
    process.on('uncaughtException', onError);
    try {
      for (let i = 0; i < 25; i += 1) {
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

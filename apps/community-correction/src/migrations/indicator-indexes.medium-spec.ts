import { PlatformDataSource, createDataSource } from '@homeward/platform';
import { TestDatabase, createTestDatabase } from '@homeward/testing';
import { ENTITIES } from '../entities';
import { MIGRATIONS, SCHEMA } from './index';
import { CorrectionIndicatorIndexes1797600000600 } from './1797600000600-CorrectionIndicatorIndexes';

jest.setTimeout(60_000);

describe('issue 13 S5: migration CorrectionIndicatorIndexes (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: PlatformDataSource;
  const indexes = async (): Promise<string[]> =>
    (
      await ds.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'correction' AND indexname IN ('subjects_indicators_idx', 'subjects_notified_idx') ORDER BY indexname`,
      )
    ).map((r: { indexname: string }) => r.indexname);

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, schema: SCHEMA, entities: [...ENTITIES], migrations: [...MIGRATIONS], poolSize: 2 });
    await ds.initialize();
  });

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
  });

  it('is the last migration; up creates the covering index of the K-CC pass and the notices index', async () => {
    expect(MIGRATIONS[MIGRATIONS.length - 1]).toBe(CorrectionIndicatorIndexes1797600000600);
    expect(await indexes()).toEqual(['subjects_indicators_idx', 'subjects_notified_idx']);
    const [{ def }] = await ds.query(`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'subjects_indicators_idx'`);
    expect(def).toContain('(town) INCLUDE (id, activated_on, ended_on, report_deadline, reported_on, ended_for_new_offence)');
  });

  it('down drops both, and up runs again cleanly', async () => {
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await indexes()).toEqual([]);
    expect(await ds.runMigrations({ transaction: 'each' })).toEqual([expect.objectContaining({ name: 'CorrectionIndicatorIndexes1797600000600' })]);
    expect(await indexes()).toEqual(['subjects_indicators_idx', 'subjects_notified_idx']);
  });
});

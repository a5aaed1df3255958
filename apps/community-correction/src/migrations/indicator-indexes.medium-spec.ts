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

  // The migrations after it (undone first in the down test, run again with it).
  const after = MIGRATIONS.slice(MIGRATIONS.indexOf(CorrectionIndicatorIndexes1797600000600) + 1);

  it('is a migration; up creates the covering index of the K-CC pass and the notices index', async () => {
    expect(MIGRATIONS).toContain(CorrectionIndicatorIndexes1797600000600);
    expect(await indexes()).toEqual(['subjects_indicators_idx', 'subjects_notified_idx']);
    const [{ def }] = await ds.query(`SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'subjects_indicators_idx'`);
    expect(def).toContain('(town) INCLUDE (id, activated_on, ended_on, report_deadline, reported_on, ended_for_new_offence)');
  });

  it('down drops both (the later migrations undone first), and up runs again cleanly', async () => {
    for (let k = 0; k <= after.length; k += 1) await ds.undoLastMigration({ transaction: 'each' });
    expect(await indexes()).toEqual([]);
    expect(await ds.runMigrations({ transaction: 'each' })).toEqual(
      [CorrectionIndicatorIndexes1797600000600, ...after].map((m) => expect.objectContaining({ name: new m().name })),
    );
    expect(await indexes()).toEqual(['subjects_indicators_idx', 'subjects_notified_idx']);
  });
});

import { PlatformDataSource, createDataSource } from '@homeward/platform';
import { TestDatabase, createTestDatabase } from '@homeward/testing';
import { ENTITIES } from '../entities';
import { MIGRATIONS, SCHEMA } from './index';
import { CorrectionMonitoringFillfactor1797600000700 } from './1797600000700-CorrectionMonitoringFillfactor';

jest.setTimeout(60_000);

describe('issue 13 S2: migration CorrectionMonitoringFillfactor (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: PlatformDataSource;
  const reloptions = async (): Promise<string[] | null> =>
    (await ds.query(`SELECT c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'correction' AND c.relname = 'monitorings'`))[0]
      .reloptions;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, schema: SCHEMA, entities: [...ENTITIES], migrations: [...MIGRATIONS], poolSize: 2 });
    await ds.initialize();
  });

  afterAll(async () => {
    if (ds?.isInitialized) await ds.destroy();
    await db?.drop();
  });

  it('is the last migration; up leaves 30 % of each page of correction.monitorings free (HOT updates of the last fix)', async () => {
    expect(MIGRATIONS[MIGRATIONS.length - 1]).toBe(CorrectionMonitoringFillfactor1797600000700);
    expect(await reloptions()).toEqual(['fillfactor=70']);
  });

  it('down resets it, and up runs again cleanly', async () => {
    await ds.undoLastMigration({ transaction: 'each' });
    expect(await reloptions()).toBeNull();
    expect(await ds.runMigrations({ transaction: 'each' })).toEqual([expect.objectContaining({ name: 'CorrectionMonitoringFillfactor1797600000700' })]);
    expect(await reloptions()).toEqual(['fillfactor=70']);
  });
});

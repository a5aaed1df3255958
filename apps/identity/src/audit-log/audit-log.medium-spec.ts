import { DataSource } from 'typeorm';
import { Role } from '@homeward/domain';
import { AuditWriter, FixedClock, appDatabaseRole, createDataSource, type Principal } from '@homeward/platform';
import { TestDatabase, createTestDatabase } from '@homeward/testing';
import { MIGRATIONS, SCHEMA } from '../migrations';
import { AuditLogService } from './audit-log.service';

const KEY = 'identity-audit-log-medium-spec-key-0123456789';
const auditor: Principal = { sub: 'u-aud', kind: 'STAFF', username: 'auditor', roles: [Role.AUDITOR], towns: [] };
const officer: Principal = { sub: 'u-off', kind: 'STAFF', username: 'li', roles: [Role.TOWN_OFFICER], towns: ['104'] };

/** The auditor's list read through identity's own login role (hw_identity), on a database migrated by the migrator. */
describe('issue 6 item 4: auditEvents sorts and pages ids numerically (real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: DataSource;
  let list: AuditLogService;
  const clock = new FixedClock('2026-04-01T02:00:00.000Z');
  const ROWS = 154;

  beforeAll(async () => {
    db = await createTestDatabase();
    const migrator = createDataSource({ url: db.url, schema: SCHEMA, migrations: [...MIGRATIONS], poolSize: 1 });
    await migrator.initialize();
    await migrator.destroy();
    app = createDataSource({ url: db.urlAs(appDatabaseRole(SCHEMA)), schema: SCHEMA, migrationsRun: false, poolSize: 2 });
    await app.initialize();
    const writer = new AuditWriter(app, clock, 'identity', KEY);
    list = new AuditLogService(app, writer);
    const other = new AuditWriter(app, clock, 'svc-paged', KEY);
    for (let i = 0; i < ROWS; i++) {
      await other.record({ actor: officer, action: `test.paged.${i}`, towns: ['104'] });
      clock.advance(1000);
    }
  }, 60_000);

  afterAll(async () => {
    await app?.destroy();
    await db?.drop();
  });

  it('newest first is the highest id, and paging 40 at a time returns every row once', async () => {
    const [max] = await db.query<{ m: string }>(`SELECT max(id)::text AS m FROM audit.events WHERE service = 'svc-paged'`);
    const first = await list.events(auditor, { service: 'svc-paged' }, 40);
    expect(first.nodes[0].id).toBe(max.m);
    expect(first.nodes[0].action).toBe(`test.paged.${ROWS - 1}`);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await list.events(auditor, { service: 'svc-paged' }, 40, after);
      seen.push(...page.nodes.map((n) => n.id));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(10);
    }
    expect(seen).toHaveLength(ROWS);
    expect(new Set(seen).size).toBe(ROWS);
    const numbers = seen.map(Number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(pages).toBe(Math.ceil(ROWS / 40));
  });

  it('identity role reads audit.events but neither the anchors nor may it change a row', async () => {
    await expect(app.query(`SELECT * FROM audit.anchors`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`DELETE FROM audit.events WHERE service = 'svc-paged'`)).rejects.toThrow(/permission denied/);
  });
});

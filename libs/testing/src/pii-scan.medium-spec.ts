import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from './database';
import { findClearPii, personNeedles } from './pii-scan';

jest.setTimeout(30_000);

describe('findClearPii (issue 6 item 2: raw scan of every table for clear person data)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(`CREATE SCHEMA svc_a; CREATE SCHEMA svc_b`);
      await c.query(`CREATE TABLE svc_a.people (id int, note varchar(100), born date, tags text[], doc jsonb, code char(18))`);
      await c.query(`CREATE TABLE svc_b."Odd ""Name""" ("weird col" text)`);
      await c.query(`CREATE VIEW svc_a.v AS SELECT note FROM svc_a.people`);
      await c.query(
        `INSERT INTO svc_a.people VALUES (1, '联系人王某', '1949-12-31', '{a,b}', '{"nested": {"id": "11010519491231002x"}}', NULL),
                                         (2, NULL, NULL, '{生日19491231}', NULL, '11010519491231002X')`,
      );
      await c.query(`INSERT INTO svc_b."Odd ""Name""" VALUES ('王某')`);
    } finally {
      await c.end();
    }
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('finds each needle in text, varchar, char, date, array and jsonb columns (case-insensitive), base tables only, odd identifiers quoted', async () => {
    const hits = await findClearPii(db.url, personNeedles('11010519491231002X', '王某'));
    const brief = hits.map((h) => `${h.schema}.${h.table}.${h.column}:${h.needle}`).sort();
    expect(brief).toEqual([
      'svc_a.people.born:birthDateIso',
      'svc_a.people.code:birthDate',
      'svc_a.people.code:idNumber',
      'svc_a.people.doc:birthDate',
      'svc_a.people.doc:idNumber',
      'svc_a.people.note:name',
      'svc_a.people.tags:birthDate',
      'svc_b.Odd "Name".weird col:name',
    ]);
  });

  it('can be limited to some schemas, and ignores empty needles', async () => {
    expect(await findClearPii(db.url, { name: '王某', empty: '' }, { schemas: ['svc_b'] })).toEqual([
      { schema: 'svc_b', table: 'Odd "Name"', column: 'weird col', needle: 'name' },
    ]);
    expect(await findClearPii(db.url, { nothing: '' })).toEqual([]);
  });
});

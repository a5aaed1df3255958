import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { Role } from '@homeward/domain';
import { TestDatabase, createTestDatabase } from '@homeward/testing';
import { FixedClock } from '../clock/clock';
import { PLATFORM_MIGRATIONS } from '../database/platform-migrations';
import { createDataSource } from '../database/data-source';
import { Principal } from '../auth/principal';
import { canonicalJson } from './canonical-json';
import { AuditRow, AuditWriter, verifyAuditChain, verifyAuditChains } from './audit-writer';
import { AUDITOR_ROLE, appDatabaseRole } from './audit-sql';
import { AuditAnchorer } from './audit-anchorer';

const KEY = 'audit-roles-medium-spec-chain-key-0123456789';
const SCHEMA = 'roles_probe';
const ROLE = appDatabaseRole(SCHEMA);
const officer: Principal = { sub: 'user-1', kind: 'STAFF', username: 'li', roles: [Role.TOWN_OFFICER], towns: ['104'] };

/** The chain an attacker without the key can compute: plain sha256, as before issue 6 item 3. */
function unkeyedHash(prev: string | null, row: AuditRow): string {
  return createHash('sha256').update(prev ?? '').update(canonicalJson(row)).digest('hex');
}

interface Stored extends Omit<AuditRow, 'at'> {
  id: string;
  at: Date;
  hash: string;
}

describe('issue 6 item 3: least-privilege roles and the keyed, anchored audit chain (real PostgreSQL)', () => {
  let db: TestDatabase;
  let migrator: DataSource;
  let app: DataSource;
  const clock = new FixedClock('2026-04-01T02:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    migrator = createDataSource({ url: db.url, schema: SCHEMA, migrations: [...PLATFORM_MIGRATIONS], poolSize: 2 });
    await migrator.initialize();
    await migrator.query(`CREATE TABLE ${SCHEMA}.things (id serial PRIMARY KEY, name text NOT NULL)`);
    await migrator.query(`CREATE SCHEMA other_probe`);
    await migrator.query(`CREATE TABLE other_probe.secrets (v text)`);
    app = createDataSource({ url: db.urlAs(ROLE), schema: SCHEMA, migrations: [...PLATFORM_MIGRATIONS], migrationsRun: false, poolSize: 2 });
    await app.initialize();
  });

  afterAll(async () => {
    await app?.destroy();
    await migrator?.destroy();
    await db?.drop();
  });

  it('issue 13: the app role plans without JIT (a role setting, so every connection of the app has it); the migrator keeps the server default', async () => {
    const [appJit] = await app.query(`SELECT current_setting('jit') AS jit`);
    expect(appJit.jit).toBe('off');
    const [serverDefault] = await db.query<{ jit: string }>(`SELECT boot_val AS jit FROM pg_settings WHERE name = 'jit'`);
    expect(serverDefault.jit).toBe('on');
  });

  it('the app role is a plain login role: no superuser, no CREATEROLE, no BYPASSRLS', async () => {
    const [r] = await db.query<{ rolsuper: boolean; rolcreaterole: boolean; rolbypassrls: boolean; rolcanlogin: boolean }>(
      `SELECT rolsuper, rolcreaterole, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1`,
      [ROLE],
    );
    expect(r).toEqual({ rolsuper: false, rolcreaterole: false, rolbypassrls: false, rolcanlogin: true });
    const [who] = await app.query(`SELECT current_user AS u`);
    expect(who.u).toBe(ROLE);
  });

  it('the app role uses its own schema (tables made by later migrations too), nothing else, and runs no DDL', async () => {
    await app.query(`INSERT INTO ${SCHEMA}.things (name) VALUES ('a')`);
    await app.query(`UPDATE ${SCHEMA}.things SET name = 'b'`);
    expect(await app.query(`SELECT name FROM ${SCHEMA}.things`)).toEqual([{ name: 'b' }]);
    await app.query(`DELETE FROM ${SCHEMA}.things`);
    await expect(app.query(`SELECT * FROM other_probe.secrets`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`CREATE TABLE ${SCHEMA}.evil (x int)`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`CREATE TABLE public.evil (x int)`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`CREATE SCHEMA evil`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`DROP TABLE ${SCHEMA}.things`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`DELETE FROM ${SCHEMA}.migrations`)).rejects.toThrow(/permission denied/);
  });

  it('the app role can append to its chain but cannot read, change, delete or truncate audit rows', async () => {
    const writer = new AuditWriter(app, clock, 'svc-roles', KEY);
    for (let i = 0; i < 3; i++) await writer.record({ actor: officer, action: `test.role.${i}`, towns: ['104'] });
    expect(await verifyAuditChain(migrator, 'svc-roles', KEY)).toEqual({ ok: true, checked: 3 });
    await expect(app.query(`SELECT * FROM audit.events`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`UPDATE audit.events SET action = 'x' WHERE service = 'svc-roles'`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`DELETE FROM audit.events WHERE service = 'svc-roles'`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`TRUNCATE audit.events`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`SELECT * FROM audit.anchors`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`INSERT INTO audit.anchors (service, head_id, head_hash) VALUES ('svc-roles', 1, repeat('0', 64))`)).rejects.toThrow(
      /permission denied/,
    );
    const [n] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit.events WHERE service = 'svc-roles'`);
    expect(n.n).toBe(3);
  });

  it('the app role cannot disable the insert-only trigger nor set session_replication_role', async () => {
    await expect(app.query(`ALTER TABLE audit.events DISABLE TRIGGER events_insert_only`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`ALTER TABLE audit.events DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`SET LOCAL session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`DROP TRIGGER events_insert_only ON audit.events`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`ALTER ROLE ${ROLE} SUPERUSER`)).rejects.toThrow(/must be superuser/);
  });

  it('a chain rewritten by a database superuser and recomputed without the key is detected', async () => {
    const writer = new AuditWriter(app, clock, 'svc-rewrite', KEY);
    for (let i = 0; i < 5; i++) await writer.record({ actor: officer, action: `test.rewrite.${i}`, towns: ['104'] });
    const rows = await db.query<Stored>(
      `SELECT id::text AS id, at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, person_key,
              towns, outcome, request_id, details, hash
         FROM audit.events WHERE service = 'svc-rewrite' ORDER BY events.id`,
    );
    // The attacker: superuser, trigger off, row 2 moved to another town, every hash from there recomputed.
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query('SET LOCAL session_replication_role = replica');
      let prev: string | null = rows[1].hash;
      for (const r of rows.slice(2)) {
        const row: AuditRow = { ...r, at: new Date(r.at).toISOString(), towns: r.id === rows[2].id ? ['107'] : r.towns };
        const hash = unkeyedHash(prev, row);
        await admin.query(`UPDATE audit.events SET towns = $2, prev_hash = $3, hash = $4 WHERE id = $1`, [r.id, row.towns, prev, hash]);
        prev = hash;
      }
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }
    const [changed] = await db.query<{ towns: string[] }>(`SELECT towns FROM audit.events WHERE id = $1`, [rows[2].id]);
    expect(changed.towns).toEqual(['107']);
    expect(await verifyAuditChain(migrator, 'svc-rewrite', KEY)).toMatchObject({ ok: false, checked: 2, brokenAt: rows[2].id });
    // With another key, even the untouched chain does not verify: the key is what makes it evidence.
    expect((await verifyAuditChain(migrator, 'svc-roles', 'some-other-key-of-at-least-32-characters')).ok).toBe(false);
  });

  it('anchors: the app records its head without reading it back; a chain cut after an anchor is detected', async () => {
    const writer = new AuditWriter(app, clock, 'svc-anchor', KEY);
    for (let i = 0; i < 4; i++) await writer.record({ actor: officer, action: `test.anchor.${i}` });
    const [anchored] = await app.query(`SELECT head_id::text AS head_id, head_hash FROM audit.anchor($1)`, ['svc-anchor']);
    const [head] = await db.query<{ id: string; hash: string }>(
      `SELECT id::text AS id, hash FROM audit.events WHERE service = 'svc-anchor' ORDER BY events.id DESC LIMIT 1`,
    );
    expect(anchored).toEqual({ head_id: head.id, head_hash: head.hash });
    expect(await app.query(`SELECT * FROM audit.anchor($1)`, ['svc-anchor'])).toEqual([]); // head unchanged: no new anchor
    const [by] = await db.query<{ anchored_by: string }>(`SELECT anchored_by FROM audit.anchors WHERE service = 'svc-anchor'`);
    expect(by.anchored_by).toBe(ROLE);

    // The auditor role reads the anchors and the log.
    const auditor = new Client({ connectionString: db.urlAs(AUDITOR_ROLE) });
    await auditor.connect();
    try {
      const seen = await auditor.query(`SELECT count(*)::int AS n FROM audit.anchors WHERE service = 'svc-anchor'`);
      expect(seen.rows[0].n).toBe(1);
      await expect(auditor.query(`DELETE FROM audit.anchors`)).rejects.toThrow(/permission denied/);
    } finally {
      await auditor.end();
    }
    const before = await verifyAuditChains(migrator, KEY);
    expect(before.find((c) => c.service === 'svc-anchor')).toMatchObject({ ok: true, checked: 4, anchors: 1 });

    // The app's periodic anchorer does the same through its own role, and writes nothing while the head stands still.
    await writer.record({ actor: officer, action: 'test.anchor.late' });
    const anchorer = new AuditAnchorer(app, 'svc-anchor', { AUDIT_ANCHOR_INTERVAL_SECONDS: 0 });
    const late = await anchorer.anchor();
    expect(late).toMatchObject({ service: 'svc-anchor', headId: String(Number(head.id) + 1) });
    expect(await anchorer.anchor()).toBeUndefined();
    head.id = late?.headId ?? '';

    // A superuser removes the newest row: what is left is a consistent chain, but the anchor names the row that is gone.
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query('SET LOCAL session_replication_role = replica');
      await admin.query(`DELETE FROM audit.events WHERE id = $1`, [head.id]);
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }
    expect(await verifyAuditChain(migrator, 'svc-anchor', KEY)).toEqual({ ok: true, checked: 4 });
    const after = await verifyAuditChains(migrator, KEY);
    expect(after.find((c) => c.service === 'svc-anchor')).toMatchObject({ ok: false, brokenAt: head.id, reason: expect.stringMatching(/gone/) });
  });
});

describe('issue 6 item 4: the verifier orders ids numerically (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const clock = new FixedClock('2026-04-01T02:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = createDataSource({ url: db.url, schema: 'order_probe', migrations: [...PLATFORM_MIGRATIONS], poolSize: 2 });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('an intact chain of 130 rows (ids past 9, 99 and 100) verifies, in one batch and in batches of 50', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-many', KEY);
    for (let i = 0; i < 130; i++) {
      await writer.record({ actor: officer, action: `test.many.${i}` });
      clock.advance(1000);
    }
    const [max] = await ds.query(`SELECT max(id)::int AS m FROM audit.events`);
    expect(max.m).toBeGreaterThan(100);
    expect(await verifyAuditChain(ds, 'svc-many', KEY)).toEqual({ ok: true, checked: 130 });
    expect(await verifyAuditChain(ds, 'svc-many', KEY, 50)).toEqual({ ok: true, checked: 130 });
    expect(await verifyAuditChains(ds, KEY)).toEqual([{ service: 'svc-many', ok: true, checked: 130, anchors: 0 }]);
  });
});

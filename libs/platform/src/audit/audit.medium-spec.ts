import { DataSource } from 'typeorm';
import { Client } from 'pg';
import { Role } from '@homeward/domain';
import { TestDatabase, createTestDatabase, eventually } from '@homeward/testing';
import { FixedClock } from '../clock/clock';
import { PLATFORM_MIGRATIONS } from '../database/platform-migrations';
import { createDataSource } from '../database/data-source';
import { runWithRequestContext } from '../context/request-context';
import { Principal } from '../auth/principal';
import { AuditWriter, auditChainNames, serviceOfChain, verifyAuditChain } from './audit-writer';
import { AuditAnchorer } from './audit-anchorer';

const KEY = 'audit-medium-spec-chain-key-0123456789abcdef';
const officer: Principal = { sub: 'user-1', kind: 'STAFF', username: 'li', roles: [Role.TOWN_OFFICER], towns: ['104'] };

describe('platform migrations and AuditWriter (real PostgreSQL)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let other: DataSource;
  const clock = new FixedClock('2026-04-01T02:00:00.000Z');

  beforeAll(async () => {
    db = await createTestDatabase();
    // Two services migrating the same database at once: both must succeed.
    ds = createDataSource({ url: db.url, schema: 'svc_a', migrations: [...PLATFORM_MIGRATIONS], poolSize: 3 });
    other = createDataSource({ url: db.url, schema: 'svc_b', migrations: [...PLATFORM_MIGRATIONS], poolSize: 2 });
    await Promise.all([ds.initialize(), other.initialize()]);
  });

  afterAll(async () => {
    await ds?.destroy();
    await other?.destroy();
    await db?.drop();
  });

  it('creates each service schema with its migrations table, and the shared audit table, once', async () => {
    const schemas: Array<{ nspname: string }> = await ds.query(
      `SELECT nspname FROM pg_namespace WHERE nspname IN ('svc_a', 'svc_b', 'audit') ORDER BY nspname`,
    );
    expect(schemas.map((s) => s.nspname)).toEqual(['audit', 'svc_a', 'svc_b']);
    const applied: Array<{ name: string }> = await ds.query(`SELECT name FROM svc_a.migrations ORDER BY id`);
    expect(applied.map((m) => m.name)).toEqual([
      'PlatformSchema1700000000000',
      'PlatformAudit1700000000001',
      'PlatformAuditAnchors1700000000002',
      'PlatformRoles1700000000003',
      'PlatformAuditPersonKeys1700000000004',
      'PlatformRoleJitOff1700000000005',
      'PlatformAuditLockChain1700000000006',
    ]);
    const inB: Array<{ n: number }> = await ds.query(`SELECT count(*)::int AS n FROM svc_b.migrations`);
    expect(inB[0].n).toBe(7);
    const grants: Array<{ privilege_type: string }> = await ds.query(
      `SELECT privilege_type FROM information_schema.role_table_grants
        WHERE grantee = 'homeward_app' AND table_schema = 'audit' AND table_name = 'events'`,
    );
    expect(grants.map((g) => g.privilege_type)).toEqual(['INSERT']);
  });

  it('running the migrations again changes nothing', async () => {
    const again = createDataSource({ url: db.url, schema: 'svc_a', migrations: [...PLATFORM_MIGRATIONS], poolSize: 1 });
    await again.initialize();
    try {
      const applied: Array<{ n: number }> = await again.query(`SELECT count(*)::int AS n FROM svc_a.migrations`);
      expect(applied[0].n).toBe(7);
    } finally {
      await again.destroy();
    }
  });

  it("'who read this person' in details.personKeys (list and nested reads) is served by an index, not a scan of the whole log", async () => {
    const plan = await ds.transaction(async (m) => {
      await m.query(`SET LOCAL enable_seqscan = off`);
      const rows: Array<{ 'QUERY PLAN': string }> = await m.query(
        `EXPLAIN SELECT id FROM audit.events e WHERE e.details->'personKeys' @> jsonb_build_array(CAST($1 AS text))`,
        ['a'.repeat(64)],
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('events_details_person_keys_idx');
  });

  it('writes chained rows with the request id, and the chain verifies', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-chain', KEY);
    await runWithRequestContext({ requestId: 'req-42' }, () =>
      writer.record({ actor: officer, action: 'test.thing.read', entityType: 'Thing', entityId: 't1', towns: ['104'] }),
    );
    clock.advance(1000);
    await writer.record({ actor: { system: 'alerts' }, action: 'test.thing.raise', details: { b: 2, a: [1, { z: 1, y: 'é' }] } });
    await writer.record({ actor: { anonymous: true }, action: 'auth.denied', outcome: 'DENIED' });
    const rows: Array<{ actor_kind: string; request_id: string | null; prev_hash: string | null; hash: string }> = await ds.query(
      `SELECT actor_kind, request_id, prev_hash, hash FROM audit.events WHERE service = 'svc-chain' ORDER BY id`,
    );
    expect(rows.map((r) => r.actor_kind)).toEqual(['STAFF', 'SYSTEM', 'ANONYMOUS']);
    expect(rows[0].request_id).toBe('req-42');
    expect(rows[0].prev_hash).toBeNull();
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(await verifyAuditChain(ds, 'svc-chain', KEY)).toEqual({ ok: true, checked: 3 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit.events, even for the superuser owner', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-immutable', KEY);
    await writer.record({ actor: officer, action: 'test.immutable' });
    await expect(ds.query(`UPDATE audit.events SET action = 'x' WHERE service = 'svc-immutable'`)).rejects.toThrow(/insert-only/);
    await expect(ds.query(`DELETE FROM audit.events WHERE service = 'svc-immutable'`)).rejects.toThrow(/insert-only/);
    await expect(ds.query(`TRUNCATE audit.events`)).rejects.toThrow(/insert-only/);
    const n: Array<{ n: number }> = await ds.query(`SELECT count(*)::int AS n FROM audit.events WHERE service = 'svc-immutable'`);
    expect(n[0].n).toBe(1);
  });

  it('detects a tampered row (trigger disabled by a superuser)', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-tamper', KEY);
    for (let i = 0; i < 4; i++) await writer.record({ actor: officer, action: `test.step.${i}`, towns: ['104'] });
    expect((await verifyAuditChain(ds, 'svc-tamper', KEY)).ok).toBe(true);
    const ids: Array<{ id: string }> = await ds.query(`SELECT id::text AS id FROM audit.events WHERE service = 'svc-tamper' ORDER BY id`);
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query('ALTER TABLE audit.events DISABLE TRIGGER events_insert_only');
      await admin.query(`UPDATE audit.events SET towns = '{107}' WHERE id = $1`, [ids[2].id]);
      await admin.query('ALTER TABLE audit.events ENABLE TRIGGER events_insert_only');
      await admin.query('COMMIT');
    } finally {
      await admin.end();
    }
    expect(await verifyAuditChain(ds, 'svc-tamper', KEY)).toMatchObject({ ok: false, checked: 2, brokenAt: ids[2].id });
  });

  it('an audited change rolled back leaves no audit row', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-rollback', KEY);
    await expect(
      ds.transaction(async (m) => {
        await writer.record({ actor: officer, action: 'test.change' }, m);
        throw new Error('business rule failed after the audit row');
      }),
    ).rejects.toThrow('business rule failed');
    const n: Array<{ n: number }> = await ds.query(`SELECT count(*)::int AS n FROM audit.events WHERE service = 'svc-rollback'`);
    expect(n[0].n).toBe(0);
    await ds.transaction((m) => writer.record({ actor: officer, action: 'test.change' }, m));
    const after: Array<{ n: number }> = await ds.query(`SELECT count(*)::int AS n FROM audit.events WHERE service = 'svc-rollback'`);
    expect(after[0].n).toBe(1);
    expect((await verifyAuditChain(ds, 'svc-rollback', KEY)).ok).toBe(true);
  });

  it('issue 13 S2: audit.lock_chain waits for the transaction holding the chain and returns the hash that transaction committed', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-lock-chain', KEY);
    await writer.record({ actor: officer, action: 'test.lock.first' });
    const holder = new Client({ connectionString: db.url });
    const waiter = new Client({ connectionString: db.url });
    await Promise.all([holder.connect(), waiter.connect()]);
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT audit.lock_chain('svc-lock-chain')`);
      // A row the holder appends (through the writer, in its own transaction, it would wait: write it here as the owner).
      const [{ hash: head }] = (await holder.query(`SELECT audit.last_hash('svc-lock-chain') AS hash`)).rows;
      await holder.query(
        `INSERT INTO audit.events (at, service, actor_id, actor_kind, action, outcome, details, prev_hash, hash)
         VALUES (now(), 'svc-lock-chain', 'holder', 'SYSTEM', 'test.lock.holder', 'SUCCESS', '{}', $1, repeat('b', 64))`,
        [head],
      );
      await waiter.query('BEGIN');
      const [{ pid }] = (await waiter.query(`SELECT pg_backend_pid() AS pid`)).rows;
      let seen: string | undefined;
      const waiting = waiter.query(`SELECT audit.lock_chain('svc-lock-chain') AS hash`).then((r) => (seen = r.rows[0].hash));
      // The waiter is blocked on the chain's advisory lock (not on a timer: asked of PostgreSQL).
      await eventually(
        async () => (await ds.query(`SELECT wait_event FROM pg_stat_activity WHERE pid = $1`, [pid])) as Array<{ wait_event: string | null }>,
        (rows) => rows[0]?.wait_event === 'advisory',
      );
      expect(seen).toBeUndefined();
      await holder.query('COMMIT');
      await waiting;
      expect(seen).toBe('b'.repeat(64)); // read after the lock: the holder's row, not the snapshot before it
      await waiter.query('ROLLBACK');
    } finally {
      await Promise.all([holder.end(), waiter.end()]);
    }
  });

  it('keeps one chain per service under concurrent writers', async () => {
    const a = new AuditWriter(ds, clock, 'svc-concurrent', KEY);
    const b = new AuditWriter(other, clock, 'svc-concurrent', KEY);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).record({ actor: officer, action: `test.concurrent.${i}` })),
    );
    expect(await verifyAuditChain(ds, 'svc-concurrent', KEY)).toEqual({ ok: true, checked: 12 });
  });

  it('issue 13: rows recorded in a transaction are written just before it commits: the chain lock is not held while the business work goes on, and the rows keep their order', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-deferred', KEY);
    const lockHolders = async () =>
      (await other.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = hashtext('audit:svc-deferred')::oid`))[0].n as number;
    let heldMeanwhile = -1;
    let visibleMeanwhile = -1;
    await ds.transaction(async (m) => {
      for (let i = 0; i < 3; i++) await writer.record({ actor: officer, action: `test.deferred.${i}` }, m);
      heldMeanwhile = await lockHolders();
      visibleMeanwhile = (await m.query(`SELECT count(*)::int AS n FROM audit.events WHERE service = 'svc-deferred'`))[0].n;
    });
    expect(heldMeanwhile).toBe(0);
    expect(visibleMeanwhile).toBe(0);
    const rows: Array<{ action: string }> = await ds.query(`SELECT action FROM audit.events WHERE service = 'svc-deferred' ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual(['test.deferred.0', 'test.deferred.1', 'test.deferred.2']);
    expect(await verifyAuditChain(ds, 'svc-deferred', KEY)).toEqual({ ok: true, checked: 3 });
  });

  it('issue 13: a transaction recording thousands of rows writes them in a few statements, in order, every column as recorded, and the chain verifies', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-bulk', KEY);
    const n = 4500; // more than one INSERT's worth
    const entryOf = (i: number) =>
      i % 3 === 0
        ? { actor: officer, action: `test.bulk.${i}`, entityType: 'Thing', entityId: `t${i}`, personKey: String(i % 10).repeat(64), towns: ['104', '107', '104'], details: { i, z: 'é', a: [1, null] } }
        : i % 3 === 1
          ? { actor: { system: 'alerts' }, action: `test.bulk.${i}`, personKeys: ['b'.repeat(64), 'a'.repeat(64), null] }
          : { actor: { anonymous: true as const, hint: 'probe' }, action: `test.bulk.${i}`, outcome: 'DENIED' as const, requestId: `req-${i}`, clientIp: '10.0.0.1' };
    const statements: string[] = [];
    await ds.transaction(async (m) => {
      const query = m.queryRunner!.query.bind(m.queryRunner);
      m.queryRunner!.query = ((q: string, ...rest: unknown[]) => {
        statements.push(q);
        return (query as (...a: unknown[]) => Promise<unknown>)(q, ...rest);
      }) as typeof query;
      for (let i = 0; i < n; i++) await writer.record(entryOf(i), m);
    });
    expect(statements.filter((q) => q.includes('INSERT INTO audit.events')).length).toBeLessThanOrEqual(3);
    const rows: Array<Record<string, unknown>> = await ds.query(
      `SELECT actor_id, actor_kind, actor_roles, action, entity_type, entity_id, person_key, towns, outcome, request_id, details
         FROM audit.events WHERE service = 'svc-bulk' ORDER BY id`,
    );
    expect(rows.map((r) => r.action)).toEqual(Array.from({ length: n }, (_, i) => `test.bulk.${i}`));
    expect(rows.slice(0, 3)).toEqual([
      { actor_id: 'user-1', actor_kind: 'STAFF', actor_roles: [Role.TOWN_OFFICER], action: 'test.bulk.0', entity_type: 'Thing', entity_id: 't0', person_key: '0'.repeat(64), towns: ['104', '107'], outcome: 'SUCCESS', request_id: null, details: { i: 0, z: 'é', a: [1, null] } },
      { actor_id: 'alerts', actor_kind: 'SYSTEM', actor_roles: [], action: 'test.bulk.1', entity_type: null, entity_id: null, person_key: null, towns: [], outcome: 'SUCCESS', request_id: null, details: { personKeys: ['a'.repeat(64), 'b'.repeat(64)] } },
      { actor_id: 'anonymous:probe', actor_kind: 'ANONYMOUS', actor_roles: [], action: 'test.bulk.2', entity_type: null, entity_id: null, person_key: null, towns: [], outcome: 'DENIED', request_id: 'req-2', details: { clientIp: '10.0.0.1' } },
    ]);
    expect(await verifyAuditChain(ds, 'svc-bulk', KEY)).toEqual({ ok: true, checked: n });
  });

  it('issue 13: a rolled-back savepoint drops only the rows recorded inside it; a released one keeps them', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-savepoint', KEY);
    await ds.transaction(async (m) => {
      await writer.record({ actor: officer, action: 'test.outer.before' }, m);
      await expect(
        m.transaction(async (inner) => {
          await writer.record({ actor: officer, action: 'test.inner.rolled-back' }, inner);
          throw new Error('inner step failed');
        }),
      ).rejects.toThrow('inner step failed');
      await m.transaction((inner) => writer.record({ actor: officer, action: 'test.inner.released' }, inner));
      await writer.record({ actor: officer, action: 'test.outer.after' }, m);
    });
    const rows: Array<{ action: string }> = await ds.query(`SELECT action FROM audit.events WHERE service = 'svc-savepoint' ORDER BY id`);
    expect(rows.map((r) => r.action)).toEqual(['test.outer.before', 'test.inner.released', 'test.outer.after']);
    expect((await verifyAuditChain(ds, 'svc-savepoint', KEY)).ok).toBe(true);
  });

  it('issue 13: concurrent transactions that record early and work long still make one valid chain, and a failing write at commit fails the transaction', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-overlap', KEY);
    const other2 = new AuditWriter(other, clock, 'svc-overlap', KEY);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? ds : other).transaction(async (m) => {
          await (i % 2 ? writer : other2).record({ actor: officer, action: `test.overlap.${i}` }, m);
          await m.query(`SELECT pg_sleep(0.05)`);
        }),
      ),
    );
    expect(await verifyAuditChain(ds, 'svc-overlap', KEY)).toEqual({ ok: true, checked: 8 });
    await expect(
      ds.transaction(async (m) => {
        await m.query(`CREATE TEMP TABLE audit_probe (v int) ON COMMIT DROP`);
        await m.query(`INSERT INTO audit_probe VALUES (1)`);
        await writer.record({ actor: officer, action: 'test.overlap.bad', entityId: 'x'.repeat(100_000) }, m);
      }),
    ).rejects.toThrow();
    const n: Array<{ n: number }> = await ds.query(`SELECT count(*)::int AS n FROM audit.events WHERE action = 'test.overlap.bad'`);
    expect(n[0].n).toBe(0);
  });

  it('issue 13: with AUDIT_CHAIN_SHARDS chains a service appends to several chains at once; each chain verifies on its own and the anchorer anchors each', async () => {
    const writer = new AuditWriter(ds, clock, 'svc-sharded', KEY, 4);
    await Promise.all(Array.from({ length: 40 }, (_, i) => writer.record({ actor: officer, action: `test.sharded.${i}` })));
    const chains: Array<{ service: string; n: number }> = await ds.query(
      `SELECT service, count(*)::int AS n FROM audit.events WHERE split_part(service, '#', 1) = 'svc-sharded' GROUP BY service ORDER BY service`,
    );
    expect(chains.length).toBeGreaterThan(1);
    expect(chains.every((c) => /^svc-sharded(#[123])?$/.test(c.service))).toBe(true);
    expect(chains.reduce((a, c) => a + c.n, 0)).toBe(40);
    for (const c of chains) expect(await verifyAuditChain(ds, c.service, KEY)).toEqual({ ok: true, checked: c.n });
    const anchors = await new AuditAnchorer(ds, 'svc-sharded', { AUDIT_ANCHOR_INTERVAL_SECONDS: 0, AUDIT_CHAIN_SHARDS: 4 }).anchorAll();
    expect(anchors.map((a) => a.service).sort()).toEqual(chains.map((c) => c.service).sort());
    expect(serviceOfChain('svc-sharded#3')).toBe('svc-sharded');
    expect(auditChainNames('svc-sharded', 3)).toEqual(['svc-sharded', 'svc-sharded#1', 'svc-sharded#2']);
  });
});

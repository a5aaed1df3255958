/**
 * Audit chain bench (issue 13): `npm run bench:audit [-- --tx 2000 --concurrency 10 --work 3]`.
 *
 * Changes: each transaction writes a business row, records one audit row early (as the services do,
 * right after the change), then does `--work` more statements before it commits. Four ways, one run,
 * the same database:
 * - deferred, 1 chain / 4 chains: AuditWriter as the apps use it (the row is written just before
 *   COMMIT, under the lock of one of the service's AUDIT_CHAIN_SHARDS chains);
 * - eager: the way it was before issue 13's change (lock, last hash and insert at the moment of
 *   recording, so the lock is held through the rest of the transaction), done inline here;
 * - bare: the same inserts with no chain and no lock (what PostgreSQL alone costs).
 * Reads: one audited read is one audit row in its own transaction (AuditWriter.record without a
 * manager), with 1 chain, with 4, and the bare insert.
 * Prints transactions/s and the ratios. Not part of CI.
 */
import { DataSource } from 'typeorm';
import { Role } from '@homeward/domain';
import { AuditWriter, FixedClock, PLATFORM_MIGRATIONS, auditHash, auditRowOf, createDataSource } from '@homeward/platform';
import { createTestDatabase } from '@homeward/testing';

const KEY = 'bench-audit-chain-key-0123456789abcdef';
const officer = { sub: 'bench', kind: 'STAFF' as const, username: 'bench', roles: [Role.TOWN_OFFICER], towns: ['104'] };

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
}

async function run(ds: DataSource, tx: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < tx) await one(next++);
  }));
  return tx / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function main(): Promise<void> {
  const tx = arg('tx', 2000);
  const concurrency = arg('concurrency', 10);
  const work = arg('work', 3);
  const db = await createTestDatabase();
  const ds = createDataSource({ url: db.url, schema: 'bench_audit', migrations: [...PLATFORM_MIGRATIONS], poolSize: concurrency + 2 });
  await ds.initialize();
  try {
    await ds.query(`CREATE TABLE bench_audit.things (id bigserial PRIMARY KEY, n int NOT NULL, note text NOT NULL)`);
    const clock = new FixedClock('2026-12-01T02:00:00Z');
    const writer = new AuditWriter(ds, clock, 'bench-deferred', KEY, 1);
    const sharded = new AuditWriter(ds, clock, 'bench-sharded', KEY, 4);
    const reader1 = new AuditWriter(ds, clock, 'bench-read-1', KEY, 1);
    const reader4 = new AuditWriter(ds, clock, 'bench-read-4', KEY, 4);
    // The business row's id, per transaction, so the later statements touch that row only (by its key).
    const ids = new Map<number, string>();
    const business = async (m: import('typeorm').EntityManager, i: number) => {
      const [row] = await m.query(`INSERT INTO bench_audit.things (n, note) VALUES ($1, 'x') RETURNING id::text AS id`, [i]);
      ids.set(i, row.id);
    };
    const rest = async (m: import('typeorm').EntityManager, i: number) => {
      for (let k = 0; k < work; k++) await m.query(`UPDATE bench_audit.things SET note = $2 WHERE id = $1`, [ids.get(i), `step ${k}`]);
    };
    const entry = (i: number) => ({ actor: officer, action: 'bench.thing.change', entityType: 'Thing', entityId: String(i), towns: ['104'] });

    const deferred = await run(ds, tx, concurrency, (i) =>
      ds.transaction(async (m) => {
        await business(m, i);
        await writer.record(entry(i), m);
        await rest(m, i);
      }),
    );
    const deferred4 = await run(ds, tx, concurrency, (i) =>
      ds.transaction(async (m) => {
        await business(m, i);
        await sharded.record(entry(i), m);
        await rest(m, i);
      }),
    );
    const eager = await run(ds, tx, concurrency, (i) =>
      ds.transaction(async (m) => {
        await business(m, i);
        const row = auditRowOf('bench-eager', clock.now(), entry(i));
        await m.query(`SELECT pg_advisory_xact_lock(hashtext('audit:' || $1))`, [row.service]);
        const [{ hash: prev }] = await m.query(`SELECT audit.last_hash($1) AS hash`, [row.service]);
        await m.query(
          `INSERT INTO audit.events (at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, person_key, towns, outcome, request_id, details, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [row.at, row.service, row.actor_id, row.actor_kind, row.actor_roles, row.action, row.entity_type, row.entity_id, row.person_key, row.towns, row.outcome, row.request_id, JSON.stringify(row.details), prev, auditHash(KEY, prev, row)],
        );
        await rest(m, i);
      }),
    );
    const bare = await run(ds, tx, concurrency, (i) =>
      ds.transaction(async (m) => {
        await business(m, i);
        await m.query(
          `INSERT INTO audit.events (at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, towns, outcome, details, hash)
           VALUES (now(), 'bench-bare', 'bench', 'STAFF', '{TOWN_OFFICER}', 'bench.thing.change', 'Thing', $1::text, '{104}', 'SUCCESS', '{}', encode(sha256(convert_to($1::text, 'UTF8')), 'hex'))`,
          [String(i)],
        );
        await rest(m, i);
      }),
    );
    const read1 = await run(ds, tx, concurrency, (i) => reader1.record(entry(i)));
    const read4 = await run(ds, tx, concurrency, (i) => reader4.record(entry(i)));
    const readBare = await run(ds, tx, concurrency, (i) =>
      ds.query(
        `INSERT INTO audit.events (at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, towns, outcome, details, hash)
         VALUES (now(), 'bench-read-bare', 'bench', 'STAFF', '{TOWN_OFFICER}', 'bench.thing.read', 'Thing', $1::text, '{104}', 'SUCCESS', '{}', encode(sha256(convert_to($1::text, 'UTF8')), 'hex'))`,
        [String(i)],
      ),
    );
    const fmt = (v: number) => `${Math.round(v)} tx/s`;
    process.stdout.write(
      [
        `audited transactions: ${tx} per way, ${concurrency} in flight, ${work} statements after the audit row`,
        `| way | throughput | ÷ bare |`,
        `|---|---|---|`,
        `| deferred, 1 chain | ${fmt(deferred)} | ${(deferred / bare).toFixed(2)} |`,
        `| deferred, 4 chains (AuditWriter now, AUDIT_CHAIN_SHARDS=4) | ${fmt(deferred4)} | ${(deferred4 / bare).toFixed(2)} |`,
        `| eager (before issue 13) | ${fmt(eager)} | ${(eager / bare).toFixed(2)} |`,
        `| bare (no chain, no lock) | ${fmt(bare)} | 1.00 |`,
        `deferred 4 chains ÷ eager: ${(deferred4 / eager).toFixed(2)}`,
        '',
        `audited reads (one audit row, its own transaction): ${tx} each, ${concurrency} in flight`,
        `| way | throughput | ÷ bare |`,
        `|---|---|---|`,
        `| 1 chain (before issue 13) | ${fmt(read1)} | ${(read1 / readBare).toFixed(2)} |`,
        `| 4 chains (AuditWriter now) | ${fmt(read4)} | ${(read4 / readBare).toFixed(2)} |`,
        `| bare insert | ${fmt(readBare)} | 1.00 |`,
        '',
      ].join('\n'),
    );
  } finally {
    await ds.destroy();
    await db.drop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});

/**
 * Partner ingest bench (issue 13 S2): `npm run bench:ingest [-- --n 1000 --concurrency 10 --rounds 1]`.
 *
 * 1. Starts the whole stack (startStack, real time, rate limit out of the way, LOG_LEVEL warn).
 * 2. A warm-up of 50 court enrolments through the gateway (not timed); one of them is the template.
 * 3. Per round: N court enrolments through the gateway (`--concurrency` in flight, Idempotency-Key
 *    each): enrolments/s, p50/p95; the relay is let drain; then the bare `pg` work of one enrolment,
 *    N times at the same concurrency, one transaction each:
 *    - a correction.subjects row cloned from the template (new id, new person_key),
 *    - an outbox row as EventPublisher writes it (id, name, version, payload, occurred_at; marked
 *      relayed and delivered so the app's relay leaves it alone) and its pg_notify,
 *    - an idempotency record as the partner store keeps it (COMPLETED with status, answer, Location),
 *    - an audit row as AuditWriter writes it: the chain's advisory lock and last hash (`audit.lock_chain`
 *      where it exists, else `pg_advisory_xact_lock` + `audit.last_hash`), the HMAC, the INSERT (own chains `bench-ingest#k`, 4 of them like AUDIT_CHAIN_SHARDS, so the app's
 *      chains stay verifiable).
 *    The ratio is gateway / bare, within the round.
 * Environment: BENCH_CPU_PROF=<dir> runs every app with the CPU profiler (bench/cpu-profile.js,
 * preloaded: node refuses --cpu-prof in NODE_OPTIONS); `<dir>/<app>-<pid>.cpuprofile` is written when
 * the stack stops. Results: stdout and bench/out/ingest-<time>.json.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { localDateInShanghai } from '@homeward/domain';
import { auditHash, type AuditRow } from '@homeward/platform';
import { Stack, startStack } from '@homeward/testing';
import { enrolThroughGateway } from './seed';

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const r1 = (v: number) => Math.round(v * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? dflt : Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

async function inFlight(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await one(next++);
  }));
}

/** Waits until correction's relay has moved every outbox row to BullMQ (and a little more for the consumers). */
async function drainRelay(pool: Pool): Promise<void> {
  for (let k = 0; k < 600; k++) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE relayed_at IS NULL`);
    if (rows[0].n === 0) break;
    await sleep(100);
  }
  await sleep(2000);
}

interface StoredAudit extends Omit<AuditRow, 'at'> {
  at: Date;
}

async function main(): Promise<void> {
  const n = arg('n', 1000);
  const concurrency = arg('concurrency', 10);
  const rounds = arg('rounds', 1);
  const warmup = 50;
  const started = Date.now();
  const profDir = process.env.BENCH_CPU_PROF;
  if (profDir) fs.mkdirSync(profDir, { recursive: true });
  log('starting the stack (six apps, a minute or two on two cores)…');
  const stack: Stack = await startStack({
    clockControl: false,
    env: {
      FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PERSON_KEY_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
      ...(profDir ? { NODE_OPTIONS: `-r ${path.join(__dirname, 'cpu-profile.js')}`, BENCH_CPU_PROF_DIR: path.resolve(profDir) } : {}),
    },
  });
  const result: Record<string, unknown> = { startedAt: new Date(started).toISOString(), n, concurrency, rounds, warmup };
  const pool = new Pool({ connectionString: stack.databaseUrl, max: concurrency });
  try {
    const court = await stack.partnerToken('COURT');
    const today = localDateInShanghai(new Date());
    const tag = `BENCH-INGEST-${started}`;
    await enrolThroughGateway(stack.gatewayUrl, court, warmup, concurrency, tag, today);
    log(`warm-up: ${warmup} enrolments`);

    // The template rows the API wrote for one enrolment.
    const columns = (
      await pool.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns
          WHERE table_schema = 'correction' AND table_name = 'subjects' AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'person_key')
          ORDER BY ordinal_position`,
      )
    ).rows.map((r) => r.column_name);
    const [template] = (await pool.query<{ id: string }>(`SELECT id FROM correction.subjects ORDER BY created_at LIMIT 1`)).rows;
    const [outbox] = (
      await pool.query<{ name: string; version: number; payload: Record<string, unknown> }>(
        `SELECT name, version, payload FROM correction.bus_outbox WHERE name = 'correction.subject.enrolled' AND payload->>'subjectId' = $1`,
        [template.id],
      )
    ).rows;
    const [idem] = (
      await pool.query<{ agency_id: string; request_hash: string; status_code: number; response: unknown; location: string }>(
        `SELECT agency_id, request_hash, status_code, response, location FROM correction.idempotency_keys WHERE response->>'id' = $1`,
        [template.id],
      )
    ).rows;
    const [audit] = (
      await pool.query<StoredAudit>(
        `SELECT at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, person_key, towns, outcome, request_id, details
           FROM audit.events WHERE action = 'correction.subject.enrol' AND entity_id = $1`,
        [template.id],
      )
    ).rows;
    if (!template || !outbox || !idem || !audit) throw new Error('the warm-up left no template rows');
    const chainKey = stack.auditChainKey;
    // The chain's lock and head as AuditWriter takes them: one call where audit.lock_chain exists (issue 13 S2), two before.
    const lockChain = (await pool.query(`SELECT to_regprocedure('audit.lock_chain(text)') IS NOT NULL AS ok`)).rows[0].ok as boolean;
    result.bareAuditLock = lockChain ? 'audit.lock_chain' : 'pg_advisory_xact_lock + audit.last_hash';

    const bareOne = async (i: number, round: number): Promise<void> => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const id = randomUUID();
        const personKey = randomBytes(32).toString('hex');
        await c.query(
          `INSERT INTO correction.subjects (id, person_key, ${columns.join(', ')})
           SELECT $1, $2, ${columns.join(', ')} FROM correction.subjects WHERE id = $3`,
          [id, personKey, template.id],
        );
        await c.query(
          `INSERT INTO correction.bus_outbox (id, name, version, payload, occurred_at, relayed_at, delivered_at)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::jsonb[], $5::timestamptz[], $5::timestamptz[], $5::timestamptz[])`,
          [[randomUUID()], [`bench.${outbox.name}`], [outbox.version], [JSON.stringify({ ...outbox.payload, subjectId: id, personKey })], [new Date().toISOString()]],
        );
        await c.query(`SELECT pg_notify('bench_ingest', $1)`, [id]);
        const now = new Date();
        await c.query(
          `INSERT INTO correction.idempotency_keys (agency_id, key, request_hash, state, status_code, response, location, created_at, expires_at)
           VALUES ($1, $2, $3, 'COMPLETED', $4, $5, $6, $7, $8)`,
          [idem.agency_id, `bare-${started}-${round}-${i}`, idem.request_hash, idem.status_code, JSON.stringify({ ...(idem.response as object), id }),
            `/api/v1/correction/enrolments/${id}`, now, new Date(now.getTime() + 30 * 86_400_000)],
        );
        const shard = randomInt(4);
        const chain = shard === 0 ? 'bench-ingest' : `bench-ingest#${shard}`;
        const row: AuditRow = { ...audit, at: now.toISOString(), service: chain, entity_id: id, person_key: personKey, request_id: randomUUID() };
        let prev: string | null;
        if (lockChain) {
          [{ hash: prev }] = (await c.query<{ hash: string | null }>(`SELECT audit.lock_chain($1) AS hash`, [chain])).rows;
        } else {
          await c.query(`SELECT pg_advisory_xact_lock(hashtext('audit:' || $1))`, [chain]);
          [{ hash: prev }] = (await c.query<{ hash: string | null }>(`SELECT audit.last_hash($1) AS hash`, [chain])).rows;
        }
        await c.query(
          `INSERT INTO audit.events (at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, person_key,
                                     towns, outcome, request_id, details, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [row.at, row.service, row.actor_id, row.actor_kind, row.actor_roles, row.action, row.entity_type, row.entity_id, row.person_key,
            row.towns, row.outcome, row.request_id, JSON.stringify(row.details), prev, auditHash(chainKey, prev, row)],
        );
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    };

    const perRound: Array<Record<string, number>> = [];
    for (let round = 0; round < rounds; round++) {
      await drainRelay(pool);
      const latencies: number[] = [];
      const gatewaySeconds = await enrolThroughGateway(stack.gatewayUrl, court, n, concurrency, tag, today, {
        first: warmup + round * n,
        latencies,
      });
      await drainRelay(pool);
      const bareLatencies: number[] = [];
      const t1 = process.hrtime.bigint();
      await inFlight(n, concurrency, async (i) => {
        const t = process.hrtime.bigint();
        await bareOne(i, round);
        bareLatencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      });
      const bareSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
      const r = {
        gatewayPerSecond: r1(n / gatewaySeconds),
        gatewayP50Ms: r1(percentile(latencies, 50)),
        gatewayP95Ms: r1(percentile(latencies, 95)),
        barePerSecond: r1(n / bareSeconds),
        bareP50Ms: r1(percentile(bareLatencies, 50)),
        bareP95Ms: r1(percentile(bareLatencies, 95)),
        ratio: Math.round((bareSeconds / gatewaySeconds) * 1000) / 1000,
      };
      perRound.push(r);
      log(`round ${round + 1}: ${JSON.stringify(r)}`);
    }
    result.rounds = perRound;
    result.totalSeconds = (Date.now() - started) / 1000;
    const outDir = path.join(__dirname, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `ingest-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      [
        `Partner ingest (issue 13 S2): ${n} court enrolments per way and round, ${concurrency} in flight`,
        `| round | gateway enrolments/s | p50 / p95 ms | bare pg /s | p50 / p95 ms | gateway ÷ bare |`,
        `|---|---|---|---|---|---|`,
        ...perRound.map((r, k) => `| ${k + 1} | ${r.gatewayPerSecond} | ${r.gatewayP50Ms} / ${r.gatewayP95Ms} | ${r.barePerSecond} | ${r.bareP50Ms} / ${r.bareP95Ms} | ${r.ratio.toFixed(3)} |`),
        '',
        `written to ${path.relative(process.cwd(), file)}`,
        '',
      ].join('\n'),
    );
  } finally {
    await pool.end();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[bench] failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);

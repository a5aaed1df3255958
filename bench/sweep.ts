/**
 * Due-date watches bench (issue 13): `npm run bench:sweep [-- --due 10000 --future 100000 --batch 500]`.
 *
 * Needs PostgreSQL and Redis only: the alerts app is booted in this process on a fresh database (its
 * own migrations) and a Redis prefix of its own (`hwt:bench-sweep:<random>`), with a fixed clock and
 * the periodic sweep off (period 1 h), so nothing but the bench moves.
 *
 * 1. Redis memory of the due-date checks: `--future` watches due over the next year are armed through
 *    `WatchesService.arm` (500 per transaction, as a handler would), the relay moves their delayed
 *    checks to BullMQ, and the prefix's keys are measured (sum of `MEMORY USAGE`, exact for this app)
 *    beside the instance's `used_memory` delta (noisy: other work shares this Redis), with the number
 *    of delayed jobs on `alerts.deadlines`.
 * 2. The sweep: `--due` watches already due (written by SQL, no delayed job) are swept by
 *    `DeadlinesService.sweep()`; then as many again by a bare set-based SQL doing the same writes per
 *    `--batch` (lock the due watches, mark them fired, insert their alerts: one statement, one
 *    transaction per batch). The sweep also writes what the bare SQL leaves out: the outbox event
 *    `alerts.alert.raised`, the audit row of every alert (hash chain), the AL-4 / CC-25 colour reads.
 *
 * Prints a table; the figures also go to bench/out/sweep-<time>.json. Not part of CI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../apps/alerts/src/app.module';
import { AlertsConfig } from '../apps/alerts/src/config';
import { DeadlinesService } from '../apps/alerts/src/deadlines/deadlines.service';
import { WatchesService } from '../apps/alerts/src/deadlines/watches.service';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
}

const NOW = new Date('2027-03-01T02:00:00Z');
const DAY_MS = 86_400_000;
/** Real due-date rules (catalogue ids) with their record types. */
const RULES: ReadonlyArray<[string, string]> = [
  ['CC-4.NOT_REPORTED', 'correction.subject'],
  ['CC-13.LEAVE_OVERSTAYED', 'correction.leave'],
  ['CC-2.CORRECTION_ENDING', 'correction.subject'],
];
const TOWNS = ['101', '102', '103', '104', '105', '106', '107', '108'];

/** Bytes and key count of every key under `prefix` (SCAN + MEMORY USAGE), and the instance's used_memory. */
async function redisMemory(redis: IORedis, prefix: string): Promise<{ keys: number; bytes: number; usedMemory: number }> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (batch.length > 0) {
      const pipe = redis.pipeline();
      for (const k of batch) pipe.call('MEMORY', 'USAGE', k, 'SAMPLES', '0');
      for (const [, n] of (await pipe.exec()) ?? []) bytes += Number(n ?? 0);
      keys += batch.length;
    }
  } while (cursor !== '0');
  const info = await redis.info('memory');
  const usedMemory = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
  return { keys, bytes, usedMemory };
}

async function waitRelayed(ds: DataSource, timeoutMs = 900_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM alerts.bus_outbox WHERE relayed_at IS NULL`);
    if (n === 0) return;
    if (Date.now() > until) throw new Error(`relay did not finish: ${n} rows left`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** `n` watches already due (an hour to a day ago), no delayed job: what the sweep finds. */
async function seedDue(ds: DataSource, n: number, tag: string): Promise<void> {
  await ds.query(
    `INSERT INTO alerts.watches (rule, record_type, record_id, person_key, town, due_at, details, armed_at)
     SELECT (r.rules)[1 + i % 3], (r.types)[1 + i % 3], $2 || '-' || i, md5($2 || i) || md5(i || $2), (r.towns)[1 + i % 8],
            $1::timestamptz - (1 + i % 1440) * interval '1 minute', jsonb_build_object('bench', $2), $1::timestamptz - interval '30 days'
       FROM generate_series(1, $3::int) AS i,
            (SELECT $4::text[] AS rules, $5::text[] AS types, $6::text[] AS towns) AS r`,
    [NOW, tag, n, RULES.map((r) => r[0]), RULES.map((r) => r[1]), TOWNS],
  );
}

async function main(): Promise<void> {
  const due = arg('due', 10_000);
  const future = arg('future', 100_000);
  const batch = arg('batch', 500);
  const clock = new FixedClock(NOW);
  const prefix = testRedisPrefix('bench-sweep');
  const svc = await bootServiceApp({
    name: 'alerts',
    appModule: (overrides) => AppModule.forRoot(overrides),
    config: AlertsConfig,
    keys: new TestKeys(),
    clock,
    prefix,
    env: { ALERT_SWEEP_INTERVAL_SECONDS: '3600', LOG_LEVEL: 'warn' },
  });
  const redis = new IORedis(svc.redisUrl, { maxRetriesPerRequest: null });
  const ds = svc.dataSource;
  const deadlines = svc.app.get(DeadlinesService);
  const watches = svc.app.get(WatchesService);
  try {
    const horizon = (svc.config as unknown as Record<string, unknown>).ALERT_JOB_HORIZON_HOURS ?? null;
    // 1. Redis memory of `future` armed watches.
    await waitRelayed(ds);
    const before = await redisMemory(redis, prefix);
    const armStart = process.hrtime.bigint();
    for (let i = 0; i < future; i += 500) {
      await ds.transaction(async (m) => {
        for (let k = i; k < Math.min(future, i + 500); k++) {
          const [rule, recordType] = RULES[k % RULES.length];
          await watches.arm(m, {
            rule,
            recordType,
            recordId: `future-${k}`,
            personKey: null,
            town: TOWNS[k % TOWNS.length],
            // Spread over the next 365 days (a correction term's deadlines lie months ahead).
            dueAt: new Date(NOW.getTime() + 3_600_000 + Math.floor((k * 365 * DAY_MS) / future)),
            details: {},
            asOf: NOW,
          });
        }
      });
    }
    const armSeconds = Number(process.hrtime.bigint() - armStart) / 1e9;
    await waitRelayed(ds);
    const after = await redisMemory(redis, prefix);
    const delayedJobs = await redis.zcard(`${prefix}:alerts.deadlines:delayed`);
    const [{ n: jobRows }] = await ds.query(`SELECT count(*)::int AS n FROM alerts.bus_outbox WHERE job_queue = 'alerts.deadlines'`);

    // 2. The sweep of `due` due watches vs the bare set-based SQL on as many others.
    await waitRelayed(ds);
    await seedDue(ds, due, 'swept');
    await ds.query(`ANALYZE alerts.watches`);
    const sweepStart = process.hrtime.bigint();
    const raised = await deadlines.sweep(batch);
    const sweepMs = Number(process.hrtime.bigint() - sweepStart) / 1e6;

    // The relay is still moving the sweep's alerts.alert.raised events to BullMQ: let it finish, so the
    // bare SQL does not pay for it.
    await waitRelayed(ds);
    await seedDue(ds, due, 'bare');
    await ds.query(`ANALYZE alerts.watches`);
    const bareStart = process.hrtime.bigint();
    let bareRaised = 0;
    for (;;) {
      const n: number = await ds.transaction(async (m) => {
        const rows: unknown[] = await m.query(
          `WITH due AS (
             SELECT id FROM alerts.watches WHERE satisfied_at IS NULL AND fired_at IS NULL AND due_at <= $1
              ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED),
           fired AS (
             UPDATE alerts.watches w SET fired_at = $1 FROM due WHERE w.id = due.id
             RETURNING w.rule, w.person_key, w.town, w.record_type, w.record_id, w.due_at, w.details)
           INSERT INTO alerts.alerts (rule, colour, state, person_key, town, record_type, record_id, raised_at, due_by, details)
           SELECT rule, 'ORANGE', 'OPEN', person_key, town, record_type, record_id, $1, $1::timestamptz + interval '4 hours',
                  details || jsonb_build_object('dueAt', due_at)
             FROM fired
           ON CONFLICT (rule, record_type, record_id) WHERE state <> 'RESOLVED' DO NOTHING
           RETURNING id`,
          [NOW, batch],
        );
        return rows.length;
      });
      bareRaised += n;
      if (n < batch) break;
    }
    const bareMs = Number(process.hrtime.bigint() - bareStart) / 1e6;

    const mb = (b: number) => (b / 1048576).toFixed(1);
    const result = {
      at: new Date().toISOString(),
      horizonHours: horizon,
      future,
      armSeconds: Number(armSeconds.toFixed(1)),
      checkJobOutboxRows: jobRows,
      delayedJobs,
      prefixKeys: after.keys - before.keys,
      prefixBytes: after.bytes - before.bytes,
      usedMemoryDelta: after.usedMemory - before.usedMemory,
      due,
      batch,
      sweep: { ms: Math.round(sweepMs), raised },
      bare: { ms: Math.round(bareMs), raised: bareRaised },
      ratio: Number((sweepMs / bareMs).toFixed(2)),
    };
    process.stdout.write(
      [
        `ALERT_JOB_HORIZON_HOURS: ${horizon ?? '(none: every armed watch gets its delayed job)'}`,
        `| measure | figure |`,
        `|---|---|`,
        `| ${future} future watches armed (500 per transaction) | ${result.armSeconds} s |`,
        `| delayed check jobs written to the outbox / in Redis | ${jobRows} / ${delayedJobs} |`,
        `| Redis keys / bytes of the app's prefix (MEMORY USAGE) | ${result.prefixKeys} / ${mb(result.prefixBytes)} MB |`,
        `| used_memory delta (whole instance, noisy) | ${mb(result.usedMemoryDelta)} MB |`,
        `| sweep of ${due} due watches (DeadlinesService.sweep, batch ${batch}) | ${result.sweep.ms} ms, ${raised} raised |`,
        `| bare set-based SQL, same count | ${result.bare.ms} ms, ${bareRaised} raised |`,
        `| sweep ÷ bare | ${result.ratio} |`,
        '',
      ].join('\n'),
    );
    const out = path.join(__dirname, 'out');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, `sweep-${result.at.replace(/[:.]/g, '-')}.json`), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    redis.disconnect();
    await svc.close();
  }
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});

/**
 * Due-date watches bench (issue 13): `npm run bench:sweep [-- --due 10000 --future 100000 --batch N --rounds 1]`.
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
 *    `--batch` (lock the due watches, mark them fired, insert their alerts, their outbox events
 *    `alerts.alert.raised` and their audit rows: one statement, one transaction per batch), and as
 *    many again by the bare SQL of alerts only (the figure before session 7). What the bare SQL still
 *    leaves out: the AL-4 / CC-25 colour reads, the live-feed messages, the audit chain's HMAC and lock.
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
import { DeadlinesService, SWEEP_BATCH } from '../apps/alerts/src/deadlines/deadlines.service';
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

/**
 * The bare set-based SQL on `n` fresh due watches (tagged `tag`), `batch` per transaction, one
 * statement per batch: lock the due watches (SKIP LOCKED), mark them fired, insert their alerts and —
 * with `rows` — the same outbox row (`alerts.alert.raised`, with its NOTIFY) and audit row
 * (`alerts.alert.raise`) per new alert as the service. What it still leaves out: the AL-4 / CC-25
 * colour reads, the live-feed message, the audit chain (its rows get a plain SQL sha256, no HMAC of
 * the previous row, no chain lock; they go to a chain of their own, `bench-bare`, which does not
 * verify), the entity mapping and the round trips of a service.
 */
async function bareSweep(ds: DataSource, n: number, batchArg: number | undefined, tag: string, rows: boolean): Promise<{ ms: number; raised: number }> {
  const batch = batchArg ?? SWEEP_BATCH;
  await seedDue(ds, n, tag);
  await ds.query(`ANALYZE alerts.watches`);
  const extra = rows
    ? `,
           outbox AS (
             INSERT INTO alerts.bus_outbox (id, name, version, payload, occurred_at)
             SELECT gen_random_uuid(), 'alerts.alert.raised', 1,
                    jsonb_build_object('alertId', id, 'rule', rule, 'personKey', person_key, 'town', town, 'colour', colour,
                                       'recordType', record_type, 'recordId', record_id), $1
               FROM raised),
           audit AS (
             INSERT INTO audit.events (at, service, actor_id, actor_kind, actor_roles, action, entity_type, entity_id, person_key,
                                       towns, outcome, request_id, details, prev_hash, hash)
             SELECT $1, 'bench-bare', 'alerts', 'SYSTEM', '{}', 'alerts.alert.raise', 'Alert', id::text, person_key,
                    CASE WHEN town IS NULL THEN '{}'::text[] ELSE ARRAY[town::text] END, 'SUCCESS', NULL,
                    jsonb_build_object('rule', rule, 'recordType', record_type, 'recordId', record_id), NULL,
                    encode(sha256(convert_to(id::text || rule || record_type || record_id, 'UTF8')), 'hex')
               FROM raised)`
    : '';
  const start = process.hrtime.bigint();
  let raised = 0;
  for (;;) {
    const taken: number = await ds.transaction(async (m) => {
      const [{ n: count }]: Array<{ n: number }> = await m.query(
        `WITH due AS (
           SELECT id FROM alerts.watches WHERE satisfied_at IS NULL AND fired_at IS NULL AND due_at <= $1
            ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED),
         fired AS (
           UPDATE alerts.watches w SET fired_at = $1 FROM due WHERE w.id = due.id
           RETURNING w.rule, w.person_key, w.town, w.record_type, w.record_id, w.due_at, w.details),
         raised AS (
           INSERT INTO alerts.alerts (rule, colour, state, person_key, town, record_type, record_id, raised_at, due_by, details)
           SELECT rule, 'ORANGE', 'OPEN', person_key, town, record_type, record_id, $1, $1::timestamptz + interval '4 hours',
                  details || jsonb_build_object('dueAt', due_at)
             FROM fired
           ON CONFLICT (rule, record_type, record_id) WHERE state <> 'RESOLVED' DO NOTHING
           RETURNING id, rule, colour, person_key, town, record_type, record_id)${extra}
         SELECT count(*)::int AS n FROM raised`,
        [NOW, batch],
      );
      // The service's publishMany wakes the relay the same way (delivered at commit).
      if (rows && count > 0) await m.query(`SELECT pg_notify('hw_bus_alerts', '')`);
      return count;
    });
    raised += taken;
    if (taken < batch) break;
  }
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, raised };
}

async function main(): Promise<void> {
  const due = arg('due', 10_000);
  const future = arg('future', 100_000);
  // Default: the service's own batch size (what the scheduled sweep uses).
  const batch = process.argv.includes('--batch') ? arg('batch', SWEEP_BATCH) : undefined;
  const roundCount = Math.max(1, arg('rounds', 1));
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

    // 2. The sweep of `due` due watches vs the bare set-based SQL on as many others, `--rounds` times
    // (the three parts interleaved, so a round's ratio compares parts run under the same load).
    const rounds: Array<{ sweep: { ms: number; raised: number }; bare: { ms: number; raised: number }; bareAlerts: { ms: number; raised: number } }> = [];
    for (let r = 0; r < roundCount; r++) {
      await waitRelayed(ds);
      await seedDue(ds, due, `swept${r}`);
      await ds.query(`ANALYZE alerts.watches`);
      const sweepStart = process.hrtime.bigint();
      const raisedNow = await deadlines.sweep(batch);
      const sweep = { ms: Number(process.hrtime.bigint() - sweepStart) / 1e6, raised: raisedNow };
      // The relay is still moving the sweep's alerts.alert.raised events: let it finish, so the bare SQL
      // does not pay for it (each bare side's own outbox rows wake the relay as the sweep's did).
      await waitRelayed(ds);
      const bare = await bareSweep(ds, due, batch, `bare${r}`, true);
      await waitRelayed(ds);
      const bareAlerts = await bareSweep(ds, due, batch, `bare-alerts${r}`, false);
      rounds.push({ sweep, bare, bareAlerts });
      process.stderr.write(
        `round ${r + 1}: sweep ${Math.round(sweep.ms)} ms, bare ${Math.round(bare.ms)} ms (alerts only ${Math.round(bareAlerts.ms)} ms), ` +
          `ratio ${(sweep.ms / bare.ms).toFixed(2)} (${(sweep.ms / bareAlerts.ms).toFixed(2)})\n`,
      );
    }
    await waitRelayed(ds);
    const median = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    const sweepMs = median(rounds.map((x) => x.sweep.ms));
    const bareMs = median(rounds.map((x) => x.bare.ms));
    const bareAlertsMs = median(rounds.map((x) => x.bareAlerts.ms));
    const raised = rounds[0].sweep.raised;
    const bareRaised = rounds[0].bare.raised;
    const bareAlerts = { ms: bareAlertsMs, raised: rounds[0].bareAlerts.raised };

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
      batch: batch ?? SWEEP_BATCH,
      sweep: { ms: Math.round(sweepMs), raised },
      bare: { ms: Math.round(bareMs), raised: bareRaised },
      bareAlertsOnly: { ms: Math.round(bareAlerts.ms), raised: bareAlerts.raised },
      // The median of the rounds' own ratios (each round's parts ran under the same load).
      ratio: Number(median(rounds.map((x) => x.sweep.ms / x.bare.ms)).toFixed(2)),
      ratioAlertsOnly: Number(median(rounds.map((x) => x.sweep.ms / x.bareAlerts.ms)).toFixed(2)),
      rounds: rounds.map((x) => ({ sweepMs: Math.round(x.sweep.ms), bareMs: Math.round(x.bare.ms), bareAlertsOnlyMs: Math.round(x.bareAlerts.ms) })),
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
        `| sweep of ${due} due watches (DeadlinesService.sweep, batch ${batch ?? SWEEP_BATCH}), median of ${roundCount} | ${result.sweep.ms} ms, ${raised} raised |`,
        `| bare set-based SQL, same count, same rows (alerts + outbox + audit) | ${result.bare.ms} ms, ${bareRaised} raised |`,
        `| bare set-based SQL, alerts only (no outbox, no audit) | ${result.bareAlertsOnly.ms} ms, ${bareAlerts.raised} raised |`,
        `| sweep ÷ bare (same rows), median of the rounds' ratios | **${result.ratio}** |`,
        `| sweep ÷ bare (alerts only), median of the rounds' ratios | ${result.ratioAlertsOnly} |`,
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

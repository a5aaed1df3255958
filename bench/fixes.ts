/**
 * Location fixes at scale (issue 13 S2): `npm run bench:fixes [-- --n 700000 --batches 60 --rounds 3 --concurrency 2]`.
 *
 * 1. Starts the whole stack (startStack, real time, rate limit out of the way, LOG_LEVEL warn), enrols
 *    one subject through the gateway as a court (the template) and seeds the rest of `--n` in SQL with
 *    the scale seeder (bench/scale-seed.ts: one subject in ten under electronic location).
 * 2. Per round, on the same data:
 *    - app: `--batches` batches of 1,000 fixes (`--batch`), each for devices picked at random among the
 *      electronic locations in force, at the centre of the subject's town (inside: no breach), posted
 *      as the monitoring platform through the gateway (`POST /api/v1/correction/location-fixes`,
 *      Idempotency-Key each), `--concurrency` in flight; each answer must be 202 with every fix accepted;
 *    - bare: the same number of batches of the same shape with `pg`, the same concurrency, each the
 *      statements the app runs in its one transaction: the idempotency claim (IdempotencyStore.claim's
 *      statement), the service's ingest statement (INGEST_SQL, imported), the stored answer; JIT off as
 *      the app roles plan.
 *    Prints fixes/s of each and app ÷ bare, and how many of the run's updates of correction.monitorings
 *    were HOT (pg_stat_user_tables). `--fillfactor N` sets the table's fillfactor before the seed (100:
 *    as before migration 1797600000700). Results: stdout and bench/out/fixes-<time>.json.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import { COUNTY_AREA, toPgPolygon } from '@homeward/domain';
import { Stack, startStack } from '@homeward/testing';
import { INGEST_SQL } from '../apps/community-correction/src/monitoring/monitoring.service';
import { seedScale } from './scale-seed';
import { enrolThroughGateway, numberArg, townCentre } from './seed';

const log = (m: string) => process.stderr.write(`[fixes] ${m}\n`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Fix {
  deviceId: string;
  at: string;
  lat: number;
  lng: number;
  accuracyM: number;
}

async function inFlight(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<number> {
  const t = process.hrtime.bigint();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Waits until correction's relay has moved every outbox row to BullMQ. */
async function drainRelay(pool: Pool): Promise<void> {
  for (let k = 0; k < 600; k++) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE relayed_at IS NULL`);
    if (rows[0].n === 0) return;
    await sleep(100);
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const n = numberArg(argv, 'n', 100_000);
  const batches = numberArg(argv, 'batches', 60);
  const rounds = numberArg(argv, 'rounds', 3);
  const batch = numberArg(argv, 'batch', 1000);
  const concurrency = numberArg(argv, 'concurrency', 2);
  const fillfactor = argv.includes('--fillfactor') ? numberArg(argv, 'fillfactor', 100) : undefined;
  if (batch > 1000) throw new Error('--batch is at most 1000 (the endpoint takes 1–1000 fixes a call)');
  const started = Date.now();
  log('starting the stack (six apps)…');
  const stack: Stack = await startStack({
    clockControl: false,
    env: {
      FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PERSON_KEY_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
    },
  });
  // JIT off, as the app roles plan (platform migration PlatformRoleJitOff).
  const pool = new Pool({ connectionString: stack.databaseUrl, max: concurrency, options: '-c jit=off' });
  const result: Record<string, unknown> = { startedAt: new Date(started).toISOString(), n, batches, rounds, batch, concurrency };
  try {
    const today = stack.today();
    await enrolThroughGateway(stack.gatewayUrl, await stack.partnerToken('COURT'), 1, 1, `FIXES-${started}`, today);
    if (fillfactor !== undefined) await pool.query(`ALTER TABLE correction.monitorings SET (fillfactor = ${Math.round(fillfactor)})`);
    result.fillfactor = (
      await pool.query<{ opts: string[] | null }>(`SELECT reloptions AS opts FROM pg_class WHERE oid = 'correction.monitorings'::regclass`)
    ).rows[0].opts?.join(',') ?? 'default (100)';
    log(`correction.monitorings: ${String(result.fillfactor)}; seeding ${n.toLocaleString('en')} subjects in SQL…`);
    const seed = await seedScale(stack.databaseUrl, n - 1, today);
    result.seed = seed;
    log(`seeded ${JSON.stringify(seed)}`);
    // Devices whose electronic location is in force for the whole run (the seeder ends some today).
    const devices = (
      await pool.query<{ device_id: string; town: string }>(
        `SELECT device_id, town FROM correction.monitorings
          WHERE status = 'ACTIVE' AND starts_at < now() - interval '1 hour' AND ends_at > now() + interval '1 day'`,
      )
    ).rows.map((r) => ({ deviceId: r.device_id, ...townCentre(r.town) }));
    if (devices.length === 0) throw new Error('no electronic location in force');
    result.devices = devices.length;
    log(`${devices.length.toLocaleString('en')} devices under electronic location in force`);

    /** A batch of fixes for devices at random, at the centre of their town, a little before now. */
    const makeBatch = (): Fix[] => {
      const at = new Date(Date.now() - 1000).toISOString();
      return Array.from({ length: batch }, () => {
        const d = devices[randomInt(devices.length)];
        return { deviceId: d.deviceId, at, lat: d.lat, lng: d.lng, accuracyM: 10 };
      });
    };

    const monitoring = await stack.partnerToken('MONITORING_PLATFORM');
    let keys = 0;
    const postBatch = async (latencies: number[]): Promise<void> => {
      const fixes = makeBatch();
      const t = process.hrtime.bigint();
      const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/location-fixes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${monitoring}`, 'idempotency-key': `FIXES-${started}-${keys++}` },
        body: JSON.stringify({ fixes }),
      });
      const text = await res.text();
      if (res.status !== 202) throw new Error(`HTTP ${res.status} ${text.slice(0, 400)}`);
      const body = JSON.parse(text) as { accepted: number; unmatched: number };
      if (body.accepted !== batch) throw new Error(`expected ${batch} fixes accepted, got ${text}`);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    };

    // The bare path: one transaction of the statements the app runs for a batch.
    const county = toPgPolygon(COUNTY_AREA);
    const agencyId = `bench-fixes-${started}`;
    const bareBatch = async (latencies: number[]): Promise<void> => {
      const fixes = makeBatch();
      const t = process.hrtime.bigint();
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const key = `BARE-${started}-${keys++}`;
        const now = new Date();
        const hash = createHash('sha256').update(key).digest('hex');
        // IdempotencyStore.claim's statement (libs/platform/src/partner/idempotency.store.ts).
        const claim = await c.query<{ ok: boolean; inserted_id: string | null }>(
          `WITH lock AS MATERIALIZED (SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok),
                found AS MATERIALIZED (
                  SELECT k.id, k.request_hash, k.state, k.status_code, k.response, k.location, k.expires_at <= $4 AS expired
                    FROM correction.idempotency_keys k, lock WHERE lock.ok AND k.agency_id = $2 AND k.key = $3 FOR UPDATE OF k),
                inserted AS (
                  INSERT INTO correction.idempotency_keys (agency_id, key, request_hash, state, created_at, expires_at)
                  SELECT $2, $3, $5, 'IN_PROGRESS', $4, $6 FROM lock WHERE lock.ok AND NOT EXISTS (SELECT 1 FROM found)
                  ON CONFLICT (agency_id, key) DO NOTHING RETURNING id)
           SELECT lock.ok, (SELECT id FROM inserted) AS inserted_id, found.*
             FROM lock LEFT JOIN found ON true`,
          [`idempotency:correction:${agencyId}:${key}`, agencyId, key, now, hash, new Date(now.getTime() + 86_400_000)],
        );
        const id = claim.rows[0].inserted_id;
        if (!id) throw new Error('bare: the claim inserted nothing');
        const payload = JSON.stringify(fixes.map((f) => ({ deviceId: f.deviceId, at: f.at, lat: f.lat, lng: f.lng, accuracyM: f.accuracyM ?? null })));
        const [row] = (await c.query<{ received: number; accepted: number }>(INGEST_SQL, [payload, county, now])).rows;
        if (row.accepted !== batch) throw new Error(`bare: expected ${batch} fixes accepted, got ${JSON.stringify(row)}`);
        await c.query(`UPDATE correction.idempotency_keys SET state = 'COMPLETED', status_code = $2, response = $3, location = $4 WHERE id = $1`, [
          id,
          202,
          JSON.stringify({ accepted: row.accepted, unmatched: row.received - row.accepted }),
          null,
        ]);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    };

    // A short warm-up of each (not timed): the app's first requests compile and connect.
    await inFlight(5, concurrency, () => postBatch([]));
    await inFlight(5, concurrency, () => bareBatch([]));
    const updates = async () =>
      (
        await pool.query<{ upd: string; hot: string }>(
          `SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE relid = 'correction.monitorings'::regclass`,
        )
      ).rows.map((r) => ({ upd: Number(r.upd), hot: Number(r.hot) }))[0];
    await sleep(1000); // the statistics of ended transactions reach pg_stat within a second
    const updatesBefore = await updates();
    const perRound: Array<Record<string, number>> = [];
    for (let round = 0; round < rounds; round++) {
      await drainRelay(pool);
      const appMs: number[] = [];
      const appSeconds = await inFlight(batches, concurrency, () => postBatch(appMs));
      await drainRelay(pool);
      const bareMs: number[] = [];
      const bareSeconds = await inFlight(batches, concurrency, () => bareBatch(bareMs));
      const fixes = batches * batch;
      const r = {
        appFixesPerSecond: Math.round(fixes / appSeconds),
        appBatchP50Ms: Math.round(percentile(appMs, 50)),
        appBatchP95Ms: Math.round(percentile(appMs, 95)),
        bareFixesPerSecond: Math.round(fixes / bareSeconds),
        bareBatchP50Ms: Math.round(percentile(bareMs, 50)),
        bareBatchP95Ms: Math.round(percentile(bareMs, 95)),
        ratio: Math.round((bareSeconds / appSeconds) * 100) / 100,
      };
      perRound.push(r);
      log(`round ${round + 1}: ${JSON.stringify(r)}`);
    }
    result.rounds = perRound;
    await sleep(1000);
    const updatesAfter = await updates();
    const hot = { updates: updatesAfter.upd - updatesBefore.upd, hot: updatesAfter.hot - updatesBefore.hot };
    result.monitoringsUpdates = { ...hot, hotShare: hot.updates ? Math.round((hot.hot / hot.updates) * 1000) / 1000 : null };
    result.totalSeconds = (Date.now() - started) / 1000;
    const outDir = path.join(__dirname, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `fixes-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      [
        '',
        `Location fixes (issue 13 S2): ${seed.subjects + 1} subjects (seeded in ${seed.seconds.toFixed(0)} s), ${devices.length} devices in force; ` +
          `per way and round ${batches} batches of ${batch}, ${concurrency} in flight; correction.monitorings fillfactor ${String(result.fillfactor)}`,
        `| round | app fixes/s | batch p50 / p95 ms | bare SQL fixes/s | batch p50 / p95 ms | app ÷ bare |`,
        `|---|---|---|---|---|---|`,
        ...perRound.map(
          (r, k) =>
            `| ${k + 1} | ${r.appFixesPerSecond.toLocaleString('en')} | ${r.appBatchP50Ms} / ${r.appBatchP95Ms} | ${r.bareFixesPerSecond.toLocaleString('en')} | ${r.bareBatchP50Ms} / ${r.bareBatchP95Ms} | ${r.ratio.toFixed(2)} |`,
        ),
        '',
        `correction.monitorings during the rounds: ${hot.updates.toLocaleString('en')} row updates, ${hot.hot.toLocaleString('en')} of them HOT` +
          (hot.updates ? ` (${Math.round((hot.hot / hot.updates) * 100)} %)` : ''),
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
    process.stderr.write(`[fixes] failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);

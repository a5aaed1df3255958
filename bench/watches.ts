/**
 * Arming watches (issue 13 S2): `npm run bench:watches [-- --n 300000 --rounds 5 --k 42]`.
 *
 * Needs PostgreSQL and Redis only: the alerts app is booted in this process on a fresh database (its
 * own migrations), a Redis prefix of its own, a fixed clock, the periodic sweep off. `--n` watches are
 * written by SQL first (a city's worth of open cases: the cost of a lookup must not grow with them).
 * Then per round, each in one transaction, on fresh records due beyond the scheduling horizon:
 *
 * - `--k` watches armed one after another with `WatchesService.arm` (what a handler did before);
 * - the same `--k` with `WatchesService.armMany` (one statement);
 * - the bare SQL: one `INSERT … SELECT FROM unnest(…) ON CONFLICT … DO UPDATE` of the same rows, no
 *   RETURNING, no "changed" bookkeeping;
 * - one watch with `arm`, and with `armMany` of one (which hands it to `arm`).
 *
 * Prints ms per call (median of the rounds) and the ratios; writes bench/out/watches-<time>.json. Not part of CI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { bootServiceApp, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../apps/alerts/src/app.module';
import { AlertsConfig } from '../apps/alerts/src/config';
import { ArmInput, WatchesService } from '../apps/alerts/src/deadlines/watches.service';

const NOW = new Date('2027-03-01T02:00:00Z');
const DUE = new Date('2027-06-01T16:00:00Z'); // beyond the 24 h horizon: no delayed check is written

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(ds: DataSource, work: (m: EntityManager) => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await ds.transaction(work);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
  const n = arg('n', 300_000);
  const rounds = arg('rounds', 5);
  const k = arg('k', 42);
  const svc = await bootServiceApp({
    name: 'alerts',
    appModule: (overrides) => AppModule.forRoot(overrides),
    config: AlertsConfig,
    keys: new TestKeys(),
    clock: new FixedClock(NOW),
    prefix: testRedisPrefix('bench-watches'),
    env: { ALERT_SWEEP_INTERVAL_SECONDS: '3600', LOG_LEVEL: 'warn' },
  });
  const ds = svc.dataSource;
  const watches = svc.app.get(WatchesService);
  try {
    await ds.query(
      `INSERT INTO alerts.watches (rule, record_type, record_id, town, due_at, armed_at)
       SELECT 'CC-13.LEAVE_OVERSTAYED', 'correction.leave', 'seed-' || i, '104', $1::timestamptz + (i % 365) * interval '1 day', $2
         FROM generate_series(1, $3::int) AS i`,
      [NOW, NOW, n],
    );
    await ds.query(`ANALYZE alerts.watches`);
    const inputs = (tag: string, count: number): ArmInput[] =>
      Array.from({ length: count }, (_, i) => ({
        rule: 'CC-13.LEAVE_OVERSTAYED',
        recordType: 'correction.leave',
        recordId: `${tag}-${i}`,
        personKey: null,
        town: '104',
        dueAt: DUE,
        details: { bench: tag },
        asOf: NOW,
      }));
    const bare = (m: EntityManager, list: ArmInput[]) =>
      m.query(
        `INSERT INTO alerts.watches AS w (rule, record_type, record_id, person_key, town, due_at, details, armed_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::jsonb[], $8::timestamptz[])
         ON CONFLICT (rule, record_type, record_id) DO UPDATE SET due_at = EXCLUDED.due_at, armed_at = EXCLUDED.armed_at
         WHERE w.satisfied_at IS NULL AND coalesce(w.armed_at, '-infinity') <= EXCLUDED.armed_at`,
        [
          list.map((w) => w.rule),
          list.map((w) => w.recordType),
          list.map((w) => w.recordId),
          list.map((w) => w.personKey),
          list.map((w) => w.town),
          list.map((w) => w.dueAt),
          list.map((w) => JSON.stringify(w.details)),
          list.map((w) => w.asOf),
        ],
      );
    const results: Record<string, number[]> = { oneByOne: [], armMany: [], bare: [], arm1: [], armMany1: [] };
    for (let r = 0; r <= rounds; r += 1) {
      const got = {
        oneByOne: await timed(ds, async (m) => {
          for (const w of inputs(`a${r}`, k)) await watches.arm(m, w);
        }),
        armMany: await timed(ds, (m) => watches.armMany(m, inputs(`b${r}`, k))),
        bare: await timed(ds, (m) => bare(m, inputs(`c${r}`, k))),
        arm1: await timed(ds, (m) => watches.arm(m, inputs(`d${r}`, 1)[0])),
        armMany1: await timed(ds, (m) => watches.armMany(m, inputs(`e${r}`, 1))),
      };
      if (r === 0) continue; // warm-up
      for (const [key, ms] of Object.entries(got)) results[key].push(ms);
    }
    const f = (ms: number) => ms.toFixed(2);
    const m = Object.fromEntries(Object.entries(results).map(([key, xs]) => [key, median(xs)]));
    console.log(`\nArming watches with ${n.toLocaleString('en-US')} already in the table, median of ${rounds} rounds (ms per transaction)`);
    console.log('| work | ms | ÷ bare SQL |');
    console.log('|---|---|---|');
    console.log(`| ${k} watches, arm one after another | ${f(m.oneByOne)} | ${(m.oneByOne / m.bare).toFixed(2)} |`);
    console.log(`| ${k} watches, armMany (one statement) | ${f(m.armMany)} | ${(m.armMany / m.bare).toFixed(2)} |`);
    console.log(`| ${k} watches, bare INSERT … ON CONFLICT | ${f(m.bare)} | 1.00 |`);
    console.log(`| 1 watch, arm | ${f(m.arm1)} | |`);
    console.log(`| 1 watch, armMany of one | ${f(m.armMany1)} | |`);
    const outDir = path.join(__dirname, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `watches-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ n, k, rounds, results, medians: m }, null, 2));
    console.log(`written ${file}`);
  } finally {
    await svc.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * Scale bench (issue 13 S5): `npm run bench:scale [-- --n 700000 --samples 20 --hold]`.
 *
 * 1. Starts the whole stack (startStack, real time, rate limit off) and enrols `--sample` subjects
 *    through the gateway as a court.
 * 2. Seeds the rest in SQL with a progress bar (bench/scale-seed.ts): levels, check-ins, location
 *    orders and a watch per subject; prints the seed time.
 * 3. Through the gateway, as a town officer (one town) and as the city (CITY_ADMIN): the caseload's
 *    first page of 20 (without and with totalCount), the first 100 of dueToday and overdue (and the
 *    town's whole lists) — p50/p95 of `--samples` runs after 3 warm-ups — and beside each, its main
 *    statement run bare with EXPLAIN ANALYZE in the same run (planning + execution), and the ratio.
 * 4. The city's indicators for this month, and the monthly statistics export (XLSX) with the
 *    community-correction process's RSS before and after.
 *    Bare statements run with JIT off, as the app roles plan (platform migration PlatformRoleJitOff).
 * `--hold` keeps the stack up afterwards until Ctrl-C (prints its database URL; the two callers' tokens,
 * refreshed every 10 minutes, in bench/out/scale-hold.json).
 * Results: a table on stdout and bench/out/scale-<time>.json.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { Stack, startStack } from '@homeward/testing';
import { dueRowsSql } from '../apps/community-correction/src/caseload/caseload.service';
import { DATA_RECORD_GROUPS_SQL } from '../apps/community-correction/src/data-quality/data-quality.repository';
import { INDICATOR_SUBJECTS_SQL, townsInForce } from '../apps/community-correction/src/indicators/indicators.service';
import { SCALE_INTERVALS, seedScale } from './scale-seed';
import { BENCH_TOWNS, enrolThroughGateway, numberArg } from './seed';

interface Args {
  n: number;
  sample: number;
  samples: number;
  hold: boolean;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, dflt: number): number => numberArg(argv, name, dflt);
  const n = get('n', 100_000);
  return { n, sample: Math.min(get('sample', 20), n), samples: get('samples', 20), hold: argv.includes('--hold') };
}

const log = (m: string) => process.stderr.write(`[scale] ${m}\n`);
const round = (v: number) => Math.round(v * 10) / 10;
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** VmRSS in MB of the process listening on `port` (the app, not its watchdog). */
function rssOfPort(port: number): number {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`no process listens on ${port}`);
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN) / 1024;
}

interface Figure {
  what: string;
  who: 'town' | 'city';
  rows: number;
  p50: number;
  p95: number;
  bareMs: number | null;
  ratio: number | null;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  log('starting the stack (six apps)…');
  const stack: Stack = await startStack({
    clockControl: false,
    env: {
      FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PERSON_KEY_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_PER_MINUTE: '10000000',
      LOG_LEVEL: 'warn',
    },
  });
  const db = new Client({ connectionString: stack.databaseUrl });
  const result: Record<string, unknown> = { startedAt: new Date(started).toISOString(), args };
  try {
    await db.connect();
    await db.query('SET jit = off'); // as the app roles plan (ALTER ROLE … SET jit = off)
    const today = stack.today();
    const court = await stack.partnerToken('COURT');
    await enrolThroughGateway(stack.gatewayUrl, court, args.sample, 4, `SCALE-${started}`, today);
    log(`enrolled ${args.sample} through the gateway; seeding ${args.n.toLocaleString('en')} in SQL…`);
    const seed = await seedScale(stack.databaseUrl, args.n - args.sample, today);
    result.seed = seed;
    log(`seeded ${JSON.stringify(seed)}`);

    const town = BENCH_TOWNS[0];
    const officer = await stack.createUser({ role: 'TOWN_OFFICER', towns: [town] });
    const city = await stack.createUser({ role: 'CITY_ADMIN', towns: [] });
    const tokens = { town: await stack.login(officer.username, officer.password), city: await stack.login(city.username, city.password) };
    const scopeTowns = { town: [town], city: BENCH_TOWNS };

    const timed = async (who: 'town' | 'city', query: string, variables: Record<string, unknown>, rowsOf: (data: Record<string, unknown>) => number, samples = args.samples) => {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < samples + 3; i += 1) {
        const t = process.hrtime.bigint();
        const body = await stack.graphql(tokens[who], query, variables);
        const elapsed = Number(process.hrtime.bigint() - t) / 1e6;
        if (body.errors || !body.data) throw new Error(`${query.slice(0, 60)}…: ${JSON.stringify(body.errors).slice(0, 400)}`);
        rows = rowsOf(body.data);
        if (i >= 3) times.push(elapsed);
      }
      return { rows, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
    };
    const explain = async (sql: string, params: unknown[]): Promise<number> => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const plan = (await db.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN'][0];
        runs.push(plan['Planning Time'] + plan['Execution Time']);
      }
      return round(percentile(runs, 50));
    };

    const LIST = `id name status town { code name } person { maskedIdNumber } supervision { level } compliance { nextCheckInDue overdueDays }`;
    const PAGE = `query { caseload(first: 20) { pageInfo { endCursor hasNextPage } edges { node { ${LIST} } } } }`;
    const COUNTED = `query { caseload(first: 20) { totalCount pageInfo { endCursor hasNextPage } edges { node { ${LIST} } } } }`;
    const DUE = (field: string, first?: number) => `query { ${field}${first ? `(first: ${first})` : ''} { kind subjectId recordId name town { code } dueOn cursor } }`;
    const pageSql = `SELECT s.* FROM correction.subjects s WHERE s.town = ANY($1) AND s.status IN ('PENDING_REPORT', 'ACTIVE') ORDER BY s.created_at DESC, s.id DESC LIMIT 21`;
    const countSql = `SELECT count(*) FROM correction.subjects s WHERE s.town = ANY($1) AND s.status IN ('PENDING_REPORT', 'ACTIVE')`;
    const dueParams = (who: 'town' | 'city') => [scopeTowns[who], today, SCALE_INTERVALS.STRICT, SCALE_INTERVALS.ORDINARY, SCALE_INTERVALS.LENIENT, null];

    const figures: Figure[] = [];
    const add = (what: string, who: 'town' | 'city', m: { rows: number; p50: number; p95: number }, bareMs: number | null) => {
      const f = { what, who, ...m, bareMs, ratio: bareMs ? Number((m.p50 / bareMs).toFixed(2)) : null };
      figures.push(f);
      log(JSON.stringify(f));
    };
    const edges = (d: Record<string, unknown>) => (d.caseload as { edges: unknown[] }).edges.length;
    for (const who of ['town', 'city'] as const) {
      const page = await explain(pageSql, [scopeTowns[who]]);
      const count = await explain(countSql, [scopeTowns[who]]);
      add('caseload, first 20', who, await timed(who, PAGE, {}, edges), page);
      add('caseload, first 20 + totalCount', who, await timed(who, COUNTED, {}, edges), round(page + count));
      for (const [field, which] of [['dueToday', 'TODAY'], ['overdue', 'OVERDUE']] as const) {
        const rows = (d: Record<string, unknown>) => (d[field] as unknown[]).length;
        add(`${field}, first 100`, who, await timed(who, DUE(field, 100), {}, rows), await explain(dueRowsSql(which), [...dueParams(who), null, null, null, null, 100]));
        // The whole list only for the town: the city's is tens of thousands of items at 700,000 (read by pages).
        if (who === 'town') {
          add(`${field}, the whole list`, who, await timed(who, DUE(field), {}, rows, Math.min(args.samples, 5)), await explain(dueRowsSql(which), [...dueParams(who), null, null, null, null, null]));
        }
      }
    }

    const [year, month] = today.split('-').map(Number);
    const indicators = await timed('city', `query($p: PeriodInput!) { cityCorrectionIndicators(period: $p) { period } }`, { p: { kind: 'MONTH', year, number: month } }, () => 1);
    // Bare: its two large statements (the K-CC pass over the subjects and K-DQ1's records), which the
    // app runs concurrently with four small ones: the slower of the two; both are logged and kept in the JSON.
    const monthStart = `${today.slice(0, 7)}-01`;
    const monthEnd = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    const cityTowns = townsInForce(monthEnd);
    const kccBare = await explain(INDICATOR_SUBJECTS_SQL, [monthStart, today, monthEnd, cityTowns, today]);
    const dq1Bare = await explain(DATA_RECORD_GROUPS_SQL, [monthStart, monthEnd, cityTowns]);
    result.indicatorsBare = { kccPassMs: kccBare, dataQualityMs: dq1Bare };
    log(`indicators bare: K-CC pass ${kccBare} ms, K-DQ1 ${dq1Bare} ms`);
    add('city indicators, this month', 'city', indicators, Math.max(kccBare, dq1Bare));

    const ccPort = Number(new URL(stack.urls['community-correction']).port);
    const rssBefore = rssOfPort(ccPort);
    const exportTimes: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 5; i += 1) {
      const t = Date.now();
      const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/exports/monthly-statistics?month=${today.slice(0, 7)}&format=xlsx`, {
        headers: { authorization: `Bearer ${tokens.city}` },
      });
      if (res.status !== 200) throw new Error(`export: HTTP ${res.status} ${await res.text()}`);
      bytes = (await res.arrayBuffer()).byteLength;
      exportTimes.push(Date.now() - t);
    }
    const rssAfter = rssOfPort(ccPort);
    result.export = { p50Ms: percentile(exportTimes, 50), bytes, rssBeforeMb: round(rssBefore), rssAfterMb: round(rssAfter) };
    result.figures = figures;
    result.totalSeconds = (Date.now() - started) / 1000;

    const outDir = path.join(__dirname, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `scale-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

    process.stdout.write(`\nScale bench — ${seed.subjects + args.sample} subjects (${args.sample} via the gateway), seeded in ${seed.seconds.toFixed(0)} s\n`);
    process.stdout.write(`  ${seed.levels} level decisions, ${seed.checkIns} check-ins, ${seed.monitorings} location orders, ${seed.watches} watches\n\n`);
    process.stdout.write(`${'query'.padEnd(34)}${'who'.padEnd(6)}${'rows'.padStart(7)}${'p50 ms'.padStart(9)}${'p95 ms'.padStart(9)}${'bare SQL ms'.padStart(13)}${'ratio'.padStart(8)}\n`);
    for (const f of figures) {
      process.stdout.write(
        `${f.what.padEnd(34)}${f.who.padEnd(6)}${String(f.rows).padStart(7)}${String(f.p50).padStart(9)}${String(f.p95).padStart(9)}${String(f.bareMs ?? '–').padStart(13)}${String(f.ratio ?? '–').padStart(8)}\n`,
      );
    }
    const ex = result.export as { p50Ms: number; bytes: number; rssBeforeMb: number; rssAfterMb: number };
    process.stdout.write(`\nmonthly statistics export (XLSX, city): p50 ${ex.p50Ms} ms, ${ex.bytes} bytes; community-correction RSS ${ex.rssBeforeMb} → ${ex.rssAfterMb} MB\n`);
    process.stdout.write(`written to ${path.relative(process.cwd(), file)}\n`);

    if (args.hold) {
      // Access tokens last 15 minutes: log in again every 10 and keep the current ones in a file.
      const holdFile = path.join(outDir, 'scale-hold.json');
      const writeHold = () =>
        fs.writeFileSync(holdFile, `${JSON.stringify({ databaseUrl: stack.databaseUrl, gatewayUrl: stack.gatewayUrl, urls: stack.urls, tokens }, null, 2)}\n`);
      writeHold();
      const refresh = setInterval(() => {
        void (async () => {
          tokens.town = await stack.login(officer.username, officer.password);
          tokens.city = await stack.login(city.username, city.password);
          writeHold();
        })().catch((error: Error) => log(`token refresh failed: ${error.message}`));
      }, 10 * 60_000);
      process.stdout.write(`\n--hold: DATABASE_URL=${stack.databaseUrl}\nGATEWAY=${stack.gatewayUrl}\ntokens (refreshed every 10 minutes): ${path.relative(process.cwd(), holdFile)}\nCtrl-C to stop.\n`);
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      clearInterval(refresh);
    }
  } finally {
    await db.end().catch(() => undefined);
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[scale] failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);

/**
 * Community-correction bench (issue 3 "Done when"): `npm run bench [-- --n 100000]`.
 *
 * 1. Starts the whole stack with startStack() on 127.0.0.1 (or uses GATEWAY_URL, then DATABASE_URL,
 *    BENCH_COURT_TOKEN, BENCH_MONITORING_TOKEN and BENCH_STAFF_TOKEN are needed too).
 * 2. Seeds N subjects (default 1,000) over every town: a sample enrolled through the gateway by a
 *    court, the rest cloned in SQL; all ACTIVE, a month of weekly check-ins, 1 in 10 under electronic
 *    location with a fix every 2 hours for the month.
 * 3. Location-fix ingest through the gateway: batches of 1,000 fixes, 4 in flight, for --ingest-seconds.
 * 4. Caseload query p50/p95 through the gateway for page sizes 20 and 200.
 * 5. SQL statements per caseload query (in-process app, counting TypeORM logger per request) and the
 *    200/20 ratio.
 * Results: a table on stdout and bench/out/bench-<time>.json.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { localDateInShanghai } from '@homeward/domain';
import { Stack, startStack, testRedisUrl } from '@homeward/testing';
import { benchDevices, enrolThroughGateway, numberArg, seedSql, townCentre } from './seed';
import { countStatements, type Send } from './sql-count';

export type { Send } from './sql-count';

interface Args {
  n: number;
  sample: number;
  ingestSeconds: number;
  concurrency: number;
  enrolConcurrency: number;
  samples: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, dflt: number): number => numberArg(argv, name, dflt);
  const n = get('n', 1000);
  return {
    n,
    sample: Math.min(get('sample', 40), n),
    ingestSeconds: get('ingest-seconds', 10),
    concurrency: get('concurrency', 4),
    enrolConcurrency: get('enrol-concurrency', 4),
    samples: get('samples', 30),
  };
}

const percentile = (values: number[], p: number): number => {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const ms = (v: number) => Math.round(v * 10) / 10;
const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);


/**
 * One caseload read of `size` subjects (one request). The selection is the largest a 200-row page
 * may ask under the query cost limit (issue 6 item 12: full rows are for pages of at most 40) and
 * keeps a DataLoader-batched field (keyPerson), so the 200/20 statement ratio still shows whether
 * per-row fields are batched (S4).
 */
export function caseloadReader() {
  const query = `query($first: Int!) { caseload(first: $first) { edges { node { id name status keyPerson } } } }`;
  return async (send: Send, size: number): Promise<{ rows: number; requests: number }> => {
    const body = await send({ query, variables: { first: size } });
    if (body.errors) throw new Error(`caseload query failed: ${JSON.stringify(body.errors).slice(0, 500)}`);
    return { rows: body.data.caseload.edges.length, requests: 1 };
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const secrets = {
    FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    PERSON_KEY_SECRET: randomBytes(32).toString('hex'),
  };
  let stack: Stack | undefined;
  let gatewayUrl: string;
  let databaseUrl: string;
  let courtToken: string;
  let monitoringToken: string;
  let staffToken: string;
  let appSecrets: Record<string, string> = secrets;

  const external = process.env.GATEWAY_URL;
  if (external) {
    const need = ['DATABASE_URL', 'BENCH_COURT_TOKEN', 'BENCH_MONITORING_TOKEN', 'BENCH_STAFF_TOKEN', 'FIELD_ENCRYPTION_KEY', 'PERSON_KEY_SECRET'];
    const missing = need.filter((k) => !process.env[k]);
    if (missing.length) throw new Error(`with GATEWAY_URL, also set ${missing.join(', ')}`);
    gatewayUrl = external.replace(/\/$/, '');
    databaseUrl = process.env.DATABASE_URL!;
    courtToken = process.env.BENCH_COURT_TOKEN!;
    monitoringToken = process.env.BENCH_MONITORING_TOKEN!;
    staffToken = process.env.BENCH_STAFF_TOKEN!;
    appSecrets = { FIELD_ENCRYPTION_KEY: process.env.FIELD_ENCRYPTION_KEY!, PERSON_KEY_SECRET: process.env.PERSON_KEY_SECRET! };
  } else {
    log('starting the stack (six apps, this takes a minute or two on two cores)…');
    stack = await startStack({
      clockControl: false,
      env: { ...secrets, RATE_LIMIT_PER_MINUTE: '10000000', LOG_LEVEL: 'warn' },
    });
    gatewayUrl = stack.gatewayUrl;
    databaseUrl = stack.databaseUrl;
    courtToken = await stack.partnerToken('COURT');
    monitoringToken = await stack.partnerToken('MONITORING_PLATFORM');
    const admin = await stack.createUser({ role: 'CITY_ADMIN', towns: [] });
    staffToken = await stack.login(admin.username, admin.password);
  }
  const result: Record<string, unknown> = { startedAt: new Date(started).toISOString(), args, gatewayUrl };

  try {
    // 2a. A sample enrolled through the gateway by a court (--enrol-concurrency in flight, default 4).
    const today = localDateInShanghai(new Date());
    const enrolSeconds = await enrolThroughGateway(gatewayUrl, courtToken, args.sample, args.enrolConcurrency, `BENCH-ENROL-${started}`, today);
    log(`enrolled ${args.sample} subjects through the gateway in ${enrolSeconds.toFixed(1)} s`);

    // 2b. The rest in SQL.
    const seeded = await seedSql(databaseUrl, args.n, 10);
    log(`seeded in SQL: ${JSON.stringify(seeded)}`);
    result.seed = { apiEnrolments: args.sample, apiEnrolmentsPerSecond: args.sample / enrolSeconds, ...seeded };

    // 3. Location-fix ingest through the gateway.
    const devices = await benchDevices(databaseUrl);
    if (!devices.length) throw new Error('no device to send fixes for');
    const batchLatencies: number[] = [];
    const statuses: Record<string, number> = {};
    let accepted = 0;
    let batchNo = 0;
    const ingestUntil = Date.now() + args.ingestSeconds * 1000;
    const ingestStart = Date.now();
    const sendBatch = async () => {
      const b = batchNo++;
      const now = Date.now();
      const fixes = Array.from({ length: 1000 }, (_, k) => {
        const d = devices[(b * 1000 + k) % devices.length];
        const c = townCentre(d.town);
        return { deviceId: d.deviceId, at: new Date(now - 1000 + (k % 1000)).toISOString(), lat: c.lat + (k % 5) * 0.0001, lng: c.lng, accuracyM: 8 };
      });
      const t = Date.now();
      const res = await fetch(`${gatewayUrl}/api/v1/correction/location-fixes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${monitoringToken}`, 'idempotency-key': `BENCH-FIX-${started}-${b}` },
        body: JSON.stringify({ fixes }),
      });
      const body = (await res.json().catch(() => ({}))) as { accepted?: number };
      batchLatencies.push(Date.now() - t);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status === 202) accepted += body.accepted ?? 0;
    };
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        while (Date.now() < ingestUntil) await sendBatch();
      }),
    );
    const ingestSeconds = (Date.now() - ingestStart) / 1000;
    result.ingest = {
      batches: batchNo,
      batchSize: 1000,
      concurrency: args.concurrency,
      seconds: ingestSeconds,
      fixesAccepted: accepted,
      fixesPerSecond: accepted / ingestSeconds,
      batchP50Ms: percentile(batchLatencies, 50),
      batchP95Ms: percentile(batchLatencies, 95),
      statuses,
    };
    log(`ingest: ${JSON.stringify(result.ingest)}`);
    if (!statuses['202']) throw new Error(`no batch accepted: ${JSON.stringify(statuses)}`);

    // 4. Caseload p50/p95 through the gateway.
    const read = caseloadReader();
    result.caseloadQuery = 'caseload { edges { node { id name status keyPerson } } }';
    const send: Send = async (body) =>
      (await (
        await fetch(`${gatewayUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${staffToken}` },
          body: JSON.stringify(body),
        })
      ).json()) as Awaited<ReturnType<Send>>;
    const timings: Record<number, { p50: number; p95: number; runs: number; rows: number; requests: number }> = {};
    for (const size of [20, 200]) {
      const times: number[] = [];
      let last = { rows: 0, requests: 0 };
      for (let i = 0; i < args.samples + 3; i += 1) {
        const t = process.hrtime.bigint();
        last = await read(send, size);
        const elapsed = Number(process.hrtime.bigint() - t) / 1e6;
        if (i >= 3) times.push(elapsed);
      }
      timings[size] = { p50: ms(percentile(times, 50)), p95: ms(percentile(times, 95)), runs: times.length, ...last };
      log(`caseload ${size}: ${JSON.stringify(timings[size])}`);
    }
    result.caseloadLatencyMs = timings;

    // 5. SQL statements per caseload query.
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '4',
      REDIS_URL: stack?.redisUrl ?? process.env.REDIS_URL ?? testRedisUrl(),
      // issue 6 item 3: the app needs the audit chain key (as the stack's apps have it).
      AUDIT_CHAIN_KEY: stack?.auditChainKey ?? process.env.AUDIT_CHAIN_KEY ?? '',
      ...appSecrets,
    };
    const counts = await countStatements(env, read, [20, 200]);
    const by = Object.fromEntries(counts.map((c) => [c.pageSize, c.statements]));
    result.sqlStatements = { perQuery: by, ratio200to20: by[200] / by[20], sample20: counts[0].sample };
    log(`statements: ${JSON.stringify(by)}`);

    result.totalSeconds = (Date.now() - started) / 1000;
    const outDir = path.join(__dirname, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `bench-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);

    const ingest = result.ingest as { fixesPerSecond: number; batchP50Ms: number; batchP95Ms: number; batches: number };
    const rowsOut: Array<[string, string]> = [
      ['subjects (API sample + SQL)', `${seeded.subjects} (${args.sample} via gateway)`],
      ['check-ins / monitored / fixes seeded', `${seeded.checkIns} / ${seeded.monitorings} / ${seeded.fixes}`],
      ['fix ingest through gateway', `${Math.round(ingest.fixesPerSecond)} fixes/s (${ingest.batches} batches of 1,000, ${args.concurrency} in flight)`],
      ['  batch latency p50 / p95', `${ingest.batchP50Ms} / ${ingest.batchP95Ms} ms`],
      [`caseload 20 p50 / p95`, `${timings[20].p50} / ${timings[20].p95} ms (${timings[20].rows} rows, ${timings[20].requests} request(s))`],
      ['caseload 200 p50 / p95', `${timings[200].p50} / ${timings[200].p95} ms (${timings[200].rows} rows, ${timings[200].requests} request(s))`],
      ['SQL statements per query 20 / 200', `${by[20]} / ${by[200]}`],
      ['statement ratio 200/20', (by[200] / by[20]).toFixed(2)],
      ['caseload query', String(result.caseloadQuery)],
      ['total run time', `${(result.totalSeconds as number).toFixed(0)} s`],
    ];
    const w = Math.max(...rowsOut.map((r) => r[0].length));
    process.stdout.write(`\nCommunity-correction bench — N = ${args.n}\n${'-'.repeat(w + 40)}\n`);
    for (const [k, v] of rowsOut) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
    process.stdout.write(`\nwritten to ${path.relative(process.cwd(), file)}\n`);
  } finally {
    await stack?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[bench] failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);

/**
 * Partner 2xx → alert visible (issue 13 S2): `npm run bench:alert-latency [-- --breaches 40 --rate 4]`.
 *
 * Starts the whole stack, enrols `--breaches` subjects through the gateway as a court, puts each under
 * electronic location (SQL, as bench/seed.ts does), then, `--rate` a second, the monitoring platform
 * posts one fix far outside the county for one device after another. For each: the instant the
 * gateway answered 202, and the first instant the city's `alerts` list through the gateway shows its
 * CC-12.LOCATION_BREACH alert (polled every `--poll-ms`, default 20). Prints p50/p95/max of the gap:
 * the whole path — ingest transaction, outbox, relay, BullMQ, the alerts consumer, its commit, the
 * list query. Results also in bench/out/alert-latency-<time>.json.
 *
 * Under load (issue 13 S2: "at half the maximum rate"): `--load-subjects N` more subjects under
 * electronic location, and `--load-rate R` fixes a second inside their towns (no breach), in batches of
 * `--load-batch` (default 1,000), `--load-concurrency` (default 2) in flight, from 3 s before the first
 * breach to the last alert. `--load-rate max` sends them as fast as the stack takes them (the maximum
 * rate to halve). The load actually reached is printed beside the latencies.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startStack } from '@homeward/testing';
import { benchDevices, enrolThroughGateway, numberArg, seedSql, townCentre } from './seed';

const log = (m: string) => process.stderr.write(`[alert-latency] ${m}\n`);
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const breaches = numberArg(argv, 'breaches', 40);
  // The poller reads one page of the list (at most 100 alerts).
  if (breaches > 100) throw new Error('--breaches is at most 100 (one page of the alert list)');
  const rate = numberArg(argv, 'rate', 4);
  const pollMs = numberArg(argv, 'poll-ms', 20);
  const loadSubjects = argv.includes('--load-subjects') ? numberArg(argv, 'load-subjects', 1) : 0;
  const loadRateArg = argv.includes('--load-rate') ? argv[argv.indexOf('--load-rate') + 1] : undefined;
  const loadRate = loadRateArg === 'max' ? Number.POSITIVE_INFINITY : loadRateArg === undefined ? 0 : numberArg(argv, 'load-rate', 1);
  const loadBatch = numberArg(argv, 'load-batch', 1000);
  const loadConcurrency = numberArg(argv, 'load-concurrency', 2);
  if (loadRate > 0 && loadSubjects === 0) throw new Error('--load-rate needs --load-subjects');
  const started = Date.now();
  log('starting the stack…');
  const stack = await startStack({
    clockControl: false,
    env: {
      FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PERSON_KEY_SECRET: randomBytes(32).toString('hex'),
      RATE_LIMIT_PER_MINUTE: '10000000',
      LOG_LEVEL: 'warn',
    },
  });
  let stopPoller = async (): Promise<void> => undefined;
  try {
    const today = stack.today();
    await enrolThroughGateway(stack.gatewayUrl, await stack.partnerToken('COURT'), breaches, 4, `LAT-${started}`, today);
    await seedSql(stack.databaseUrl, breaches + loadSubjects, 1); // every subject ACTIVE and under electronic location
    const allDevices = await benchDevices(stack.databaseUrl);
    if (allDevices.length < breaches + loadSubjects) throw new Error(`only ${allDevices.length} devices`);
    const devices = allDevices.slice(0, breaches);
    const loadDevices = allDevices.slice(breaches, breaches + loadSubjects);
    const monitoring = await stack.partnerToken('MONITORING_PLATFORM');
    const city = await stack.createUser({ role: 'CITY_ADMIN', towns: [] });
    const cityToken = await stack.login(city.username, city.password);
    const failures: string[] = [];
    let polls = 0;
    /** Breach alerts in the city's list; null (and noted) when the read failed. */
    const visibleCount = async (): Promise<number | null> => {
      polls += 1;
      const body = await stack.graphql<{ alerts: { edges: Array<{ node: { rule: string } }> } }>(
        cityToken,
        `query { alerts(first: 100) { edges { node { rule } } } }`,
      );
      if (body.errors || !body.data) {
        failures.push(`${new Date().toISOString()} ${JSON.stringify(body.errors).slice(0, 200)}`);
        return null;
      }
      return body.data.alerts.edges.filter((e) => e.node.rule === 'CC-12.LOCATION_BREACH').length;
    };
    if ((await visibleCount()) !== 0) throw new Error('breach alerts before the run');

    const answered: number[] = [];
    const seen: number[] = [];
    let stop = false;
    // The poller: the instant the k-th breach alert is first in the list.
    const poller = (async () => {
      while (!stop) {
        const n = await visibleCount().catch((e: Error) => (failures.push(e.message), null));
        const now = Date.now();
        while (n !== null && seen.length < n) seen.push(now);
        if (seen.length >= breaches) break;
        await sleep(pollMs);
      }
    })();
    // The background load: in-town fixes of the load devices, paced to loadRate.
    const load = { fixes: 0, batches: 0, failed: 0, startedAt: 0, endedAt: 0, batchMs: [] as number[] };
    let stopLoad = false;
    const loadRunner = (async () => {
      if (loadRate <= 0) return;
      load.startedAt = Date.now();
      let next = 0;
      let scheduled = 0;
      const one = async (): Promise<void> => {
        while (!stopLoad) {
          const slot = scheduled++;
          const due = load.startedAt + (Number.isFinite(loadRate) ? (slot * loadBatch * 1000) / loadRate : 0);
          if (due > Date.now()) await sleep(due - Date.now());
          if (stopLoad) return;
          const at = new Date(Date.now() - 1000).toISOString();
          const fixes = Array.from({ length: loadBatch }, () => {
            const d = loadDevices[next++ % loadDevices.length];
            const c = townCentre(d.town);
            return { deviceId: d.deviceId, at, lat: c.lat, lng: c.lng, accuracyM: 10 };
          });
          const t0 = Date.now();
          const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/location-fixes`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${monitoring}`, 'idempotency-key': `LOAD-${started}-${next}` },
            body: JSON.stringify({ fixes }),
          }).catch(() => undefined);
          const ok = res?.status === 202;
          await res?.arrayBuffer().catch(() => undefined);
          if (ok) {
            load.batches += 1;
            load.fixes += loadBatch;
            load.batchMs.push(Date.now() - t0);
          } else load.failed += 1;
        }
      };
      await Promise.all(Array.from({ length: loadConcurrency }, one));
      load.endedAt = Date.now();
    })();
    if (loadRate > 0) await sleep(3000);
    stopPoller = async () => {
      stop = true;
      stopLoad = true;
      await poller;
      await loadRunner;
    };
    for (let k = 0; k < breaches; k += 1) {
      const res = await fetch(`${stack.gatewayUrl}/api/v1/correction/location-fixes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${monitoring}`, 'idempotency-key': `LAT-${started}-${k}` },
        // Far outside the county (a point in the Yellow Sea): a breach of CC-12.
        body: JSON.stringify({ fixes: [{ deviceId: devices[k].deviceId, at: new Date(Date.now() - 500).toISOString(), lat: 34.5, lng: 123.5, accuracyM: 8 }] }),
      });
      if (res.status !== 202) throw new Error(`fix ${k}: HTTP ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { accepted?: number };
      if (body.accepted !== 1) throw new Error(`fix ${k}: expected the fix accepted, got ${JSON.stringify(body)}`);
      answered.push(Date.now());
      await sleep(1000 / rate);
    }
    const deadline = Date.now() + 30_000;
    while (seen.length < breaches && Date.now() < deadline) await sleep(50);
    stop = true;
    await poller;
    stopLoad = true;
    await loadRunner;
    if (seen.length < breaches) throw new Error(`only ${seen.length} of ${breaches} alerts became visible within 30 s`);
    // Alerts may become visible out of order; the k-th visible is matched to the k-th answered (an upper bound per breach).
    const gaps = answered.map((t, k) => Math.max(0, seen[k] - t));
    const result = {
      startedAt: new Date(started).toISOString(),
      breaches,
      ratePerSecond: rate,
      pollMs,
      p50Ms: percentile(gaps, 50),
      p95Ms: percentile(gaps, 95),
      maxMs: Math.max(...gaps),
      polls,
      failedPolls: failures.length,
      failures: failures.slice(0, 10),
      load:
        loadRate > 0
          ? {
              subjects: loadSubjects,
              askedFixesPerSecond: Number.isFinite(loadRate) ? loadRate : 'max',
              reachedFixesPerSecond: Math.round(load.fixes / ((load.endedAt - load.startedAt) / 1000)),
              batches: load.batches,
              failedBatches: load.failed,
              batchP50Ms: load.batchMs.length ? percentile(load.batchMs, 50) : null,
              batchP95Ms: load.batchMs.length ? percentile(load.batchMs, 95) : null,
            }
          : null,
    };
    const outDir = path.join(__dirname, 'out');
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `alert-latency-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `\nPartner 2xx → breach alert visible in the city's list (${breaches} breaches, ${rate}/s, polled every ${pollMs} ms)\n` +
        `  p50 ${result.p50Ms} ms · p95 ${result.p95Ms} ms · max ${result.maxMs} ms · ${failures.length} of ${polls} list reads failed\n` +
        (result.load
          ? `  under load: ${result.load.reachedFixesPerSecond} fixes/s reached (asked ${result.load.askedFixesPerSecond}) over ${loadSubjects} subjects, ` +
            `batches of ${loadBatch} p50 ${result.load.batchP50Ms} ms / p95 ${result.load.batchP95Ms} ms, ${result.load.failedBatches} failed\n`
          : '') +
        `written to ${path.relative(process.cwd(), file)}\n`,
    );
  } finally {
    await stopPoller();
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`[alert-latency] failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);

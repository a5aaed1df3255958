/**
 * Gateway bench on the real stack (issue 13 S3): `npm run bench:gateway-stack [-- --requests 300
 * --seconds 5 --connections 10 --rounds 2]`.
 *
 * Starts the whole stack (six apps as child processes, real time, rate limit off, LOG_LEVEL=warn),
 * enrols 20 subjects in one town as a court, logs in a town officer of that town, then asks the
 * same two queries straight to their subgraph and through the gateway:
 *   - `me`: `{ me { id username roles } }` — identity;
 *   - the caseload: `caseload(first: 20)` with the list's fields — community-correction (an audited
 *     read of 20 people: the subgraph writes an audit row per call).
 * "Direct" sends the subgraph what the gateway sends it (the caller's token, the gateway's shared
 * secret, a request id, the client IP): the subgraph verifies the token and does its work in both.
 * Per target and round: `--requests` calls one after another (latency p50/p95: the gateway hop
 * alone), then autocannon with `--connections` in flight for `--seconds` (requests/s and p50), the
 * direct and gateway runs interleaved. Beside each, the CPU milliseconds per call of the gateway
 * and of the subgraph process (utime + stime from /proc, over the run). The ratios are gateway ÷
 * direct. `--planner javascript` runs the gateway with Hive Gateway's own planner instead of Hive
 * Router's (GATEWAY_QUERY_PLANNER). BENCH_CPU_PROF=<dir> profiles every app (bench/cpu-profile.js).
 * Results: a table on stdout and bench/out/gateway-stack-<time>.json.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { localDateInShanghai } from '@homeward/domain';
import { CLIENT_IP_HEADER, GATEWAY_SECRET_HEADER, REQUEST_ID_HEADER } from '@homeward/platform';
import { Stack, startStack } from '@homeward/testing';
import { BENCH_TOWNS, enrolThroughGateway, numberArg } from './seed';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const log = (m: string) => process.stderr.write(`[gateway-stack] ${m}\n`);
const round = (v: number, d = 1) => Math.round(v * 10 ** d) / 10 ** d;
const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};

/** The pid of the process listening on `port` (the app, not its watchdog). */
function pidOfPort(port: number): number {
  const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  const pid = /pid=(\d+)/.exec(out)?.[1];
  if (!pid) throw new Error(`no process listens on ${port}`);
  return Number(pid);
}

/** utime + stime of a process, in milliseconds. */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // CLK_TCK is 100 on Linux
}

interface Target {
  url: string;
  headers: Record<string, string>;
  /** Direct calls carry a new request id each, as the gateway's do. */
  requestId: boolean;
}

const withRequestId = (t: Target): Record<string, string> => (t.requestId ? { ...t.headers, [REQUEST_ID_HEADER]: randomUUID() } : t.headers);

interface RunFigures {
  /** One after another. */
  serialP50: number;
  serialP95: number;
  /** `--connections` in flight. */
  rps: number;
  loadedP50: number;
  loadedP99: number;
  failures: number;
  /** CPU ms per call over the serial and loaded runs, per process. */
  gatewayCpuPerCall: number;
  subgraphCpuPerCall: number;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const requests = numberArg(argv, 'requests', 300);
  const seconds = numberArg(argv, 'seconds', 5);
  const connections = numberArg(argv, 'connections', 10);
  const rounds = numberArg(argv, 'rounds', 2);
  const plannerAt = argv.indexOf('--planner');
  const planner = plannerAt < 0 ? 'rust' : argv[plannerAt + 1];
  if (planner !== 'rust' && planner !== 'javascript') throw new Error('--planner is rust or javascript');
  const profDir = process.env.BENCH_CPU_PROF;
  if (profDir) fs.mkdirSync(profDir, { recursive: true });
  const secret = randomBytes(24).toString('hex');
  log('starting the stack (six apps)…');
  const stack: Stack = await startStack({
    clockControl: false,
    env: {
      FIELD_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      PERSON_KEY_SECRET: randomBytes(32).toString('hex'),
      SUBGRAPH_SHARED_SECRET: secret,
      RATE_LIMIT_PER_MINUTE: '100000000',
      LOG_LEVEL: 'warn',
      // `--planner javascript` measures Hive Gateway's own planner (GATEWAY_QUERY_PLANNER)
      GATEWAY_QUERY_PLANNER: planner,
      ...(profDir ? { NODE_OPTIONS: `-r ${path.join(__dirname, 'cpu-profile.js')}`, BENCH_CPU_PROF_DIR: path.resolve(profDir) } : {}),
    },
  });
  const result: Record<string, unknown> = { at: new Date().toISOString(), node: process.version, planner, requests, seconds, connections, rounds };
  try {
    const town = BENCH_TOWNS[0];
    const court = await stack.partnerToken('COURT');
    // every 21st index lives in BENCH_TOWNS[0]: 20 subjects there
    const today = localDateInShanghai(new Date());
    for (let i = 0; i < 20; i += 1) await enrolThroughGateway(stack.gatewayUrl, court, 1, 1, `GW-STACK-${randomUUID()}`, today, { first: i * BENCH_TOWNS.length });
    const officer = await stack.createUser({ role: 'TOWN_OFFICER', towns: [town] });
    const token = await stack.login(officer.username, officer.password);

    const LIST = 'id name status town { code name } person { maskedIdNumber } supervision { level } compliance { nextCheckInDue overdueDays }';
    const queries = [
      { name: 'me', app: 'identity' as const, query: '{ me { id username roles } }', check: (d: Record<string, unknown>) => Boolean(d.me) },
      {
        name: 'caseload, first 20',
        app: 'community-correction' as const,
        query: `{ caseload(first: 20) { pageInfo { endCursor hasNextPage } edges { node { ${LIST} } } } }`,
        check: (d: Record<string, unknown>) => (d.caseload as { edges: unknown[] }).edges.length === 20,
      },
    ];
    const gatewayPid = pidOfPort(Number(new URL(stack.gatewayUrl).port));
    const figures: Array<{ query: string; direct: RunFigures[]; gateway: RunFigures[] }> = [];
    for (const q of queries) {
      const body = JSON.stringify({ query: q.query });
      const subgraphPid = pidOfPort(Number(new URL(stack.urls[q.app]).port));
      const direct: Target = {
        url: `${stack.urls[q.app]}/graphql`,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          [GATEWAY_SECRET_HEADER]: secret,
          [CLIENT_IP_HEADER]: '127.0.0.1',
        },
        requestId: true,
      };
      const gateway: Target = { url: `${stack.gatewayUrl}/graphql`, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, requestId: false };
      for (const t of [direct, gateway]) {
        const res = await fetch(t.url, { method: 'POST', headers: withRequestId(t), body });
        const parsed = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
        if (!res.ok || parsed.errors || !parsed.data || !q.check(parsed.data)) throw new Error(`${q.name} at ${t.url}: ${res.status} ${JSON.stringify(parsed).slice(0, 400)}`);
      }
      const run = async (t: Target, n: number, loadSeconds: number): Promise<RunFigures> => {
        const cpu0 = [cpuMs(gatewayPid), cpuMs(subgraphPid)];
        const times: number[] = [];
        let failures = 0;
        for (let i = 0; i < n; i += 1) {
          const t0 = process.hrtime.bigint();
          const res = await fetch(t.url, { method: 'POST', headers: withRequestId(t), body });
          const text = await res.text();
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (!res.ok || text.includes('"errors"')) failures += 1;
        }
        const loaded = await autocannon({
          url: t.url,
          method: 'POST',
          headers: t.headers,
          body,
          connections,
          duration: loadSeconds,
          ...(t.requestId ? { requests: [{ setupRequest: (req: { headers: Record<string, string> }) => ({ ...req, headers: withRequestId({ ...t, headers: req.headers }) }) }] } : {}),
        });
        const calls = n + loaded.requests.total;
        const cpu1 = [cpuMs(gatewayPid), cpuMs(subgraphPid)];
        return {
          serialP50: round(percentile(times, 50), 2),
          serialP95: round(percentile(times, 95), 2),
          rps: Math.round(loaded.requests.average),
          loadedP50: loaded.latency.p50,
          loadedP99: loaded.latency.p99,
          failures: failures + loaded.errors + loaded.non2xx,
          gatewayCpuPerCall: round((cpu1[0] - cpu0[0]) / calls, 2),
          subgraphCpuPerCall: round((cpu1[1] - cpu0[1]) / calls, 2),
        };
      };
      log(`${q.name}: warming up`);
      await run(direct, 50, 2);
      await run(gateway, 50, 2);
      const d: RunFigures[] = [];
      const g: RunFigures[] = [];
      for (let i = 0; i < rounds; i += 1) {
        d.push(await run(direct, requests, seconds));
        g.push(await run(gateway, requests, seconds));
        log(`${q.name} round ${i + 1}: direct p50 ${d[i].serialP50} ms / ${d[i].rps} rps; gateway p50 ${g[i].serialP50} ms / ${g[i].rps} rps`);
      }
      figures.push({ query: q.name, direct: d, gateway: g });
    }
    const mean = (xs: RunFigures[], k: keyof RunFigures): number => round(xs.reduce((a, x) => a + x[k], 0) / xs.length, 2);
    const rows = figures.map((f) => ({
      query: f.query,
      direct: { serialP50: mean(f.direct, 'serialP50'), serialP95: mean(f.direct, 'serialP95'), rps: mean(f.direct, 'rps'), loadedP50: mean(f.direct, 'loadedP50'), subgraphCpu: mean(f.direct, 'subgraphCpuPerCall'), failures: mean(f.direct, 'failures') },
      gateway: {
        serialP50: mean(f.gateway, 'serialP50'),
        serialP95: mean(f.gateway, 'serialP95'),
        rps: mean(f.gateway, 'rps'),
        loadedP50: mean(f.gateway, 'loadedP50'),
        gatewayCpu: mean(f.gateway, 'gatewayCpuPerCall'),
        subgraphCpu: mean(f.gateway, 'subgraphCpuPerCall'),
        failures: mean(f.gateway, 'failures'),
      },
      ratio: {
        serialP50: round(mean(f.gateway, 'serialP50') / mean(f.direct, 'serialP50'), 2),
        loadedP50: round(mean(f.gateway, 'loadedP50') / Math.max(mean(f.direct, 'loadedP50'), 0.5), 2),
        rps: round(mean(f.gateway, 'rps') / mean(f.direct, 'rps'), 2),
      },
    }));
    result.rounds = figures;
    result.summary = rows;
    console.log(`\nGateway on the stack (${planner} query planner, Node ${process.version}; ${requests} calls one after another, then ${connections} in flight for ${seconds} s; ${rounds} rounds, interleaved)`);
    console.log('query                 way      p50 ms  p95 ms   req/s  p50@' + String(connections).padEnd(3) + ' gw cpu ms/call  subgraph cpu ms/call  failed');
    for (const r of rows) {
      console.log(`${r.query.padEnd(21)} direct  ${String(r.direct.serialP50).padStart(7)} ${String(r.direct.serialP95).padStart(7)} ${String(r.direct.rps).padStart(7)} ${String(r.direct.loadedP50).padStart(7)} ${'–'.padStart(15)} ${String(r.direct.subgraphCpu).padStart(21)} ${String(r.direct.failures).padStart(7)}`);
      console.log(`${''.padEnd(21)} gateway ${String(r.gateway.serialP50).padStart(7)} ${String(r.gateway.serialP95).padStart(7)} ${String(r.gateway.rps).padStart(7)} ${String(r.gateway.loadedP50).padStart(7)} ${String(r.gateway.gatewayCpu).padStart(15)} ${String(r.gateway.subgraphCpu).padStart(21)} ${String(r.gateway.failures).padStart(7)}`);
      console.log(`${''.padEnd(21)} ratio gateway ÷ direct: p50 ×${r.ratio.serialP50}, p50 at ${connections} in flight ×${r.ratio.loadedP50}, requests/s ×${r.ratio.rps}`);
    }
    const out = path.join(__dirname, 'out');
    fs.mkdirSync(out, { recursive: true });
    const file = path.join(out, `gateway-stack-${String(result.at).replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify(result, null, 2));
    log(`written ${file}`);
  } finally {
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

/**
 * Gateway bench (issue 11 item 3): `npm run bench:gateway [-- --seconds 5 --connections 10 --rounds 2]`.
 *
 * The same trivial query (`{ alertsPing }`) straight to a subgraph and through the gateway, in one
 * run, on the same machine: five small federation subgraphs (apps/gateway/test/fake-upstreams.ts,
 * @apollo/subgraph on @apollo/server, as the gateway's medium test uses), a supergraph composed by
 * @apollo/composition, and the gateway app itself (createGatewayApp, production mode, the composed
 * file) listening on a real port. autocannon, `--connections` in flight, the two targets interleaved
 * for `--rounds` rounds so machine noise hits both. Needs Redis (the gateway's platform module).
 * Results: a table on stdout and bench/out/gateway-<time>.json; the ratio is gateway / direct.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '@homeward/platform';
import { testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { GatewayConfig } from '../apps/gateway/src/config';
import { createGatewayApp } from '../apps/gateway/src/create-app';
import { composeSupergraph } from '../apps/gateway/src/graphql/compose';
import { FakeUpstream, startFakeUpstream } from '../apps/gateway/test/fake-upstreams';

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? dflt : Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const SUBGRAPHS = [
  { name: 'identity', sdl: `${LINK} type Query { identityPing: String }` },
  { name: 'community-correction', sdl: `${LINK} type Query { correctionPing: String }` },
  { name: 'resettlement', sdl: `${LINK} type Query { resettlementPing: String }` },
  { name: 'aftercare', sdl: `${LINK} type Query { aftercarePing: String }` },
  { name: 'alerts', sdl: `${LINK} type Query { alertsPing: String }` },
];
const QUERY = JSON.stringify({ query: '{ alertsPing }' });

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function load(url: string, seconds: number, connections: number): Promise<Figures> {
  const r = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY, connections, duration: seconds });
  return { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 5);
  const connections = arg('connections', 10);
  const rounds = arg('rounds', 2);
  const upstreams: FakeUpstream[] = [];
  for (const s of SUBGRAPHS) {
    upstreams.push(await startFakeUpstream({ name: s.name, sdl: s.sdl, resolvers: { Query: { [`${s.name === 'community-correction' ? 'correction' : s.name}Ping`]: () => 'pong' } } }));
  }
  const url = (name: string): string => upstreams[SUBGRAPHS.findIndex((s) => s.name === name)].url;
  const outcome = composeSupergraph(SUBGRAPHS.map((s) => ({ name: s.name, url: `${url(s.name)}/graphql`, sdl: s.sdl })));
  if (!outcome.ok) throw new Error(outcome.errors.join('\n'));
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'bench-gw-'));
  const file = path.join(dir, `supergraph-${randomUUID()}.graphql`);
  fs.writeFileSync(file, outcome.supergraphSdl);
  const config = loadConfig(GatewayConfig, {
    NODE_ENV: 'production',
    LOG_LEVEL: process.env.BENCH_LOG ? 'debug' : 'warn',
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: testRedisPrefix('bench-gateway'),
    IDENTITY_URL: url('identity'),
    CORRECTION_URL: url('community-correction'),
    RESETTLEMENT_URL: url('resettlement'),
    AFTERCARE_URL: url('aftercare'),
    ALERTS_URL: url('alerts'),
    SUPERGRAPH_PATH: file,
    SUBGRAPH_SHARED_SECRET: 'bench-gateway-subgraph-secret-0123456789abcdef',
  });
  log('booting the gateway');
  const app = await createGatewayApp({ config, logger: process.env.BENCH_LOG ? undefined : false });
  log('gateway booted');
  await app.listen(0, '127.0.0.1');
  const gatewayUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/graphql`;
  const directUrl = `${url('alerts')}/graphql`;
  try {
    // sanity: both answer the query
    for (const u of [directUrl, gatewayUrl]) {
      const res = await fetch(u, { method: 'POST', headers: { 'content-type': 'application/json' }, body: QUERY, signal: AbortSignal.timeout(15_000) });
      const body = await res.text();
      if (!res.ok || !body.includes('pong')) throw new Error(`${u} answered ${res.status} ${body}`);
    }
    log(`warming up (2 s each), then ${rounds} interleaved rounds of ${seconds} s, ${connections} connections`);
    await load(directUrl, 2, connections);
    await load(gatewayUrl, 2, connections);
    const direct: Figures[] = [];
    const gateway: Figures[] = [];
    for (let i = 0; i < rounds; i++) {
      direct.push(await load(directUrl, seconds, connections));
      gateway.push(await load(gatewayUrl, seconds, connections));
      log(`round ${i + 1}: direct ${direct[i].rps} rps p50 ${direct[i].p50} ms; gateway ${gateway[i].rps} rps p50 ${gateway[i].p50} ms`);
    }
    const mean = (xs: Figures[], k: keyof Figures): number => Math.round((xs.reduce((a, x) => a + x[k], 0) / xs.length) * 10) / 10;
    const summary = {
      direct: { rps: mean(direct, 'rps'), p50: mean(direct, 'p50'), p99: mean(direct, 'p99'), errors: mean(direct, 'errors'), non2xx: mean(direct, 'non2xx') },
      gateway: { rps: mean(gateway, 'rps'), p50: mean(gateway, 'p50'), p99: mean(gateway, 'p99'), errors: mean(gateway, 'errors'), non2xx: mean(gateway, 'non2xx') },
    };
    const ratio = {
      rps: Math.round((summary.gateway.rps / summary.direct.rps) * 100) / 100,
      p50: Math.round((summary.gateway.p50 / Math.max(summary.direct.p50, 0.1)) * 10) / 10,
    };
    const gatewayPackage = (() => {
      const src = fs.readdirSync(path.join(__dirname, '../apps/gateway/src'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => fs.readFileSync(path.join(__dirname, '../apps/gateway/src', f), 'utf8'))
        .join('\n');
      const used = ['@graphql-hive/gateway-runtime', '@apollo/gateway'].find((p) => src.includes(`from '${p}'`));
      return used ? `${used} ${require(`${used}/package.json`).version}` : 'unknown';
    })();
    const result = { at: new Date().toISOString(), node: process.version, gateway: gatewayPackage, seconds, connections, rounds, query: '{ alertsPing }', direct, gatewayRuns: gateway, summary, ratio };
    console.log(`\nGateway bench (${gatewayPackage}, Node ${process.version}, ${connections} connections, ${rounds}×${seconds} s)`);
    console.log('target           requests/s   p50 ms   p99 ms   errors');
    console.log(`direct subgraph  ${String(summary.direct.rps).padStart(10)}   ${String(summary.direct.p50).padStart(6)}   ${String(summary.direct.p99).padStart(6)}   ${summary.direct.errors + summary.direct.non2xx}`);
    console.log(`through gateway  ${String(summary.gateway.rps).padStart(10)}   ${String(summary.gateway.p50).padStart(6)}   ${String(summary.gateway.p99).padStart(6)}   ${summary.gateway.errors + summary.gateway.non2xx}`);
    console.log(`ratio gateway/direct: requests/s ×${ratio.rps}, p50 ×${ratio.p50}`);
    const out = path.join(__dirname, 'out');
    fs.mkdirSync(out, { recursive: true });
    const outFile = path.join(out, `gateway-${result.at.replace(/[:.]/g, '-')}.json`);
    fs.writeFileSync(outFile, JSON.stringify(result, null, 2));
    log(`written ${outFile}`);
  } finally {
    await app.close();
    await Promise.all(upstreams.map((u) => u.close()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

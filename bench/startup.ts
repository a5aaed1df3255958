/**
 * Start-up and idle (issue 13): `npm run bench:startup [-- --runtime ts-node|dist|both] [--mode production|test]
 * [--requests 400] [--concurrency 8] [--idle-seconds 15]`.
 *
 * Starts the whole stack as `npm start` and the e2e tests do (startStack: the six apps as child processes,
 * the gateway last) from source (ts-node + swc) and/or from the `nest build` output (dist, what the image
 * runs; HW_STACK_RUNTIME=dist), in production mode by default (NODE_ENV=production and a supergraph file
 * composed from the checked-in SDLs, as the pods run). For each app it prints:
 *   - the time from spawn to its first 200 on /health/ready, and the whole stack's start;
 *   - RSS (VmRSS of the app's process group, /proc) when ready, after `--idle-seconds` idle, the highest
 *     sample under a light load, and `--idle-seconds` after the load; VmHWM (the peak, start-up included);
 *   - CPU (utime + stime) per second of wall time, idle and under the load.
 * The load: `--requests` calls through the gateway, `--concurrency` at a time, spread over every app:
 * GraphQL reads of each subgraph, partner REST reads, and pre-release notices and aftercare release
 * notices (their events reach the bus consumers).
 * Results: a table on stdout and bench/out/startup-<time>.json. Not part of CI.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOWNS, addDays, idNumberCheckChar, localDateInShanghai } from '@homeward/domain';
import { APPS, ROOT_DIR, distEntry, runToCompletion, tsNodeArgs, type AppName } from '@homeward/devstack';
import { startStack, type Stack } from '@homeward/testing';

const log = (m: string) => process.stderr.write(`[bench] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (kib: number) => Math.round(kib / 102.4) / 10;
const CLOCK_TICKS = 100; // USER_HZ on Linux

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : String(process.argv[i + 1]);
}

function idNumber(i: number): string {
  const base = `3202811985${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  return `${base}${idNumberCheckChar(base)}`;
}

interface ProcSample {
  /** VmRSS of the process group, KiB. */
  rssKiB: number;
  /** VmHWM (peak RSS) of the process group, KiB. */
  hwmKiB: number;
  /** utime + stime of the process group, seconds. */
  cpuSeconds: number;
}

/** The pids of the processes in process group `pgid` (the supervisor starts each app as a group leader). */
function groupPids(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

function sampleGroup(pgid: number): ProcSample {
  const out: ProcSample = { rssKiB: 0, hwmKiB: 0, cpuSeconds: 0 };
  for (const pid of groupPids(pgid)) {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      out.rssKiB += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      out.hwmKiB += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.cpuSeconds += (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    } catch {
      // gone
    }
  }
  return out;
}

function sampleAll(stack: Stack): Record<AppName, ProcSample> {
  const pids = stack.pids();
  return Object.fromEntries(APPS.map((a) => [a.name, sampleGroup(pids[a.name])])) as Record<AppName, ProcSample>;
}

async function inFlight(n: number, concurrency: number, one: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await one(next++);
  }));
}

interface AppFigures {
  readyS: number;
  /** CPU seconds the app had used when the stack was up (its start-up, on a machine shared by six). */
  startCpuS: number;
  rssAtReadyMiB: number;
  rssIdleMiB: number;
  rssLoadedMaxMiB: number;
  rssAfterMiB: number;
  peakMiB: number;
  cpuIdleCores: number;
  cpuLoadedCores: number;
}

interface RunFigures {
  runtime: 'ts-node' | 'dist';
  mode: string;
  stackStartS: number;
  load: { calls: number; seconds: number; nonOk: Record<string, number> };
  apps: Record<AppName, AppFigures>;
}

async function runOnce(runtime: 'ts-node' | 'dist', mode: string, supergraph: string | undefined, opts: { requests: number; concurrency: number; idleS: number }): Promise<RunFigures> {
  process.env.HW_STACK_RUNTIME = runtime;
  log(`${runtime}: starting the stack (${mode})…`);
  const t0 = Date.now();
  const stack = await startStack({
    clockControl: false,
    env: {
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '10000000',
      // production: the admin CLI (createUser, partner clients) also runs with it and needs the shared secret
      ...(mode === 'production'
        ? { NODE_ENV: 'production', SUBGRAPH_SHARED_SECRET: randomBytes(32).toString('hex'), ...(supergraph ? { SUPERGRAPH_PATH: supergraph } : {}) }
        : {}),
    },
  });
  const stackStartS = (Date.now() - t0) / 1000;
  try {
    const atReady = sampleAll(stack);
    log(`${runtime}: up in ${stackStartS.toFixed(1)} s; idle ${opts.idleS} s…`);
    const idleFrom = sampleAll(stack);
    const idleT = Date.now();
    await sleep(opts.idleS * 1000);
    const idle = sampleAll(stack);
    const idleWall = (Date.now() - idleT) / 1000;

    const user = await stack.createUser({ role: 'TOWN_OFFICER', towns: ['104'] });
    const officer = await stack.login(user.username, user.password);
    const police = await stack.partnerToken('POLICE');
    const prison = await stack.partnerToken('PRISON');
    const centre = await stack.partnerToken('REHAB_CENTRE');
    const today = localDateInShanghai(new Date());
    const tag = randomBytes(3).toString('hex');
    const nonOk: Record<string, number> = {};
    const call = async (label: string, url: string, init: RequestInit, ok: (status: number, body: string) => boolean) => {
      const res = await fetch(`${stack.gatewayUrl}${url}`, init);
      const body = await res.text();
      if (!ok(res.status, body)) nonOk[label] = (nonOk[label] ?? 0) + 1;
    };
    const gql = (label: string, query: string) =>
      call(label, '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${officer}` }, body: JSON.stringify({ query }) }, (s, b) => s === 200 && !b.includes('"errors"'));
    const post = (label: string, url: string, token: string, key: string, body: unknown, status: number) =>
      call(label, url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key }, body: JSON.stringify(body) }, (s) => s === status);
    const calls: ((i: number) => Promise<void>)[] = [
      () => gql('me + correctionSubjects', '{ me { id username } correctionSubjects(first: 5) { totalCount } }'),
      () => gql('alerts', '{ alerts(first: 5) { totalCount } }'),
      () => gql('noticesToHandle', '{ noticesToHandle(first: 5) { totalCount } }'),
      () => gql('aftercareToContact', '{ aftercareToContact(first: 5) { totalCount } }'),
      () => call('REST exit-control', '/api/v1/correction/exit-control', { headers: { authorization: `Bearer ${police}` } }, (s) => s === 200),
      (i) =>
        post('REST pre-release notice', '/api/v1/resettlement/pre-release-notices', prison, `BENCH-SU-RS-${tag}-${i}`, {
          person: { idNumber: idNumber(i), name: `基准${i}`, residenceTown: TOWNS[i % TOWNS.length].code },
          prisonerNo: `BENCH-SU-${tag}-${i}`,
          expectedReleaseDate: addDays(today, 10 + (i % 50)),
          offence: '盗窃罪',
          sentence: '有期徒刑三年',
          conductInPrison: '一般',
          keyCategories: i % 5 === 0 ? ['POOR_CONDUCT'] : [],
        }, 201),
      (i) =>
        post('REST aftercare release notice', '/api/v1/aftercare/release-notices', centre, `BENCH-SU-AC-${tag}-${i}`, {
          notices: [{
            person: { idNumber: idNumber(5000 + i), name: `基准${i}`, residenceTown: TOWNS[i % TOWNS.length].code, residenceAddress: `基准路${i}号` },
            centreRecordNo: `BENCH-SU-WX-${tag}-${i}`,
            releaseDate: addDays(today, 3 + (i % 28)),
            keyPerson: i % 10 === 0,
            communityRehabilitation: i % 4 === 0,
          }],
        }, 207),
    ];

    log(`${runtime}: ${opts.requests} calls through the gateway, ${opts.concurrency} at a time…`);
    const loadFrom = sampleAll(stack);
    const loadMax = Object.fromEntries(APPS.map((a) => [a.name, 0])) as Record<AppName, number>;
    let loading = true;
    const sampler = (async () => {
      while (loading) {
        const s = sampleAll(stack);
        for (const a of APPS) loadMax[a.name] = Math.max(loadMax[a.name], s[a.name].rssKiB);
        await sleep(200);
      }
    })();
    const loadT = Date.now();
    await inFlight(opts.requests, opts.concurrency, (i) => calls[i % calls.length](i));
    const loadWall = (Date.now() - loadT) / 1000;
    loading = false;
    await sampler;
    const loaded = sampleAll(stack);
    for (const a of APPS) loadMax[a.name] = Math.max(loadMax[a.name], loaded[a.name].rssKiB);
    await sleep(opts.idleS * 1000);
    const after = sampleAll(stack);

    const apps = Object.fromEntries(
      APPS.map((a) => [a.name, {
        readyS: stack.readyMs[a.name] / 1000,
        startCpuS: Math.round(atReady[a.name].cpuSeconds * 10) / 10,
        rssAtReadyMiB: mib(atReady[a.name].rssKiB),
        rssIdleMiB: mib(idle[a.name].rssKiB),
        rssLoadedMaxMiB: mib(loadMax[a.name]),
        rssAfterMiB: mib(after[a.name].rssKiB),
        peakMiB: mib(after[a.name].hwmKiB),
        cpuIdleCores: Math.round(((idle[a.name].cpuSeconds - idleFrom[a.name].cpuSeconds) / idleWall) * 1000) / 1000,
        cpuLoadedCores: Math.round(((loaded[a.name].cpuSeconds - loadFrom[a.name].cpuSeconds) / loadWall) * 1000) / 1000,
      } satisfies AppFigures]),
    ) as Record<AppName, AppFigures>;
    return { runtime, mode, stackStartS, load: { calls: opts.requests, seconds: loadWall, nonOk }, apps };
  } finally {
    await stack.stop();
  }
}

function table(run: RunFigures): string {
  const rows = [
    `${run.runtime} (${run.mode}): stack up in ${run.stackStartS.toFixed(1)} s; load ${run.load.calls} calls in ${run.load.seconds.toFixed(1)} s` +
      (Object.keys(run.load.nonOk).length ? `; not OK: ${JSON.stringify(run.load.nonOk)}` : ''),
    '| app | ready (s) | start-up CPU (s) | RSS ready | RSS idle | RSS loaded (max) | RSS after | peak (VmHWM) | CPU idle | CPU loaded |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const a of APPS) {
    const f = run.apps[a.name];
    rows.push(`| ${a.name} | ${f.readyS.toFixed(1)} | ${f.startCpuS} | ${f.rssAtReadyMiB} | ${f.rssIdleMiB} | ${f.rssLoadedMaxMiB} | ${f.rssAfterMiB} | ${f.peakMiB} | ${f.cpuIdleCores} | ${f.cpuLoadedCores} |`);
  }
  const sum = (k: keyof AppFigures) => Math.round(APPS.reduce((s, a) => s + run.apps[a.name][k], 0) * 10) / 10;
  rows.push(`| all six | | ${sum('startCpuS')} | ${sum('rssAtReadyMiB')} | ${sum('rssIdleMiB')} | ${sum('rssLoadedMaxMiB')} | ${sum('rssAfterMiB')} | ${sum('peakMiB')} | ${sum('cpuIdleCores')} | ${sum('cpuLoadedCores')} |`);
  return `${rows.join('\n')}\n(RSS in MiB; CPU in cores = CPU seconds per wall second)\n`;
}

async function main(): Promise<void> {
  const wanted = arg('runtime', 'both');
  const mode = arg('mode', 'production');
  const requests = Number(arg('requests', '400'));
  const concurrency = Number(arg('concurrency', '8'));
  const idleS = Number(arg('idle-seconds', '15'));
  if (!['ts-node', 'dist', 'both'].includes(wanted)) throw new Error('--runtime must be ts-node, dist or both');
  if (!['production', 'test'].includes(mode)) throw new Error('--mode must be production or test');
  const built = APPS.every((a) => fs.existsSync(path.join(ROOT_DIR, distEntry(a.name))));
  const runtimes: ('ts-node' | 'dist')[] = wanted === 'both' ? (built ? ['ts-node', 'dist'] : ['ts-node']) : [wanted as 'ts-node' | 'dist'];
  if (wanted === 'both' && !built) log('no `npm run build` output: measuring ts-node only');

  const outDir = path.join(ROOT_DIR, 'bench', 'out');
  fs.mkdirSync(outDir, { recursive: true });
  let supergraph: string | undefined;
  if (mode === 'production') {
    supergraph = path.join(outDir, 'startup-supergraph.graphql');
    await runToCompletion(process.execPath, tsNodeArgs('scripts/compose-supergraph.ts').concat(['--out', supergraph]), {}, { label: 'compose:supergraph' });
  }
  const result = { startedAt: new Date().toISOString(), node: process.version, requests, concurrency, idleSeconds: idleS, runs: [] as RunFigures[] };
  for (const runtime of runtimes) {
    const run = await runOnce(runtime, mode, supergraph, { requests, concurrency, idleS });
    result.runs.push(run);
    process.stdout.write(`\n${table(run)}`);
  }
  const file = path.join(outDir, `startup-${result.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\nwritten ${path.relative(ROOT_DIR, file)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});

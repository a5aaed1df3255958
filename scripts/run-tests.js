#!/usr/bin/env node
'use strict';
/**
 * `npm test`: makes sure PostgreSQL and Redis answer (found like `npm start` finds them:
 * DATABASE_URL / REDIS_URL, else 127.0.0.1:5432 / 127.0.0.1:6379, else an embedded PostgreSQL
 * and a redis-server under .data/), exports DATABASE_URL / REDIS_URL, then runs the tiers in
 * order: small, ops (test/ops, when the small project does not already match it), medium, e2e.
 * Prints the counts per tier and exits with the first failing tier's jest code (0 when all pass).
 *
 *   npm test                      all tiers
 *   npm test -- --tier small      one tier (repeatable: --tier small --tier medium)
 *   npm test -- libs/domain       any other arguments: one jest run over all projects with them
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DATA_DIR = path.join(ROOT, '.data');
const JEST = require.resolve('jest/bin/jest');

// The discovery code is TypeScript shared with the dev launcher (libs/devstack).
require('ts-node').register({ swc: true, project: path.join(ROOT, 'tsconfig.json') });
const { discoverPostgres, discoverRedis, MissingDependencyError, redactUrl } = require('../libs/devstack/src/infra.ts');
const { describeProcessGroup, runWithDeadline } = require('../libs/devstack/src/processes.ts');

/**
 * A tier that runs longer than this is stopped and fails (a stuck worker otherwise holds CI until its
 * own limit, silently). Today: small ~20 s, medium ~250 s, e2e ~310 s on two cores. HW_TEST_TIER_LIMIT_S
 * sets one limit for every tier (and for a pass-through run, which has none otherwise).
 */
const TIER_LIMIT_S = { small: 300, ops: 300, medium: 900, e2e: 1200 };
function tierLimitMs(name) {
  const override = Number(process.env.HW_TEST_TIER_LIMIT_S);
  if (Number.isFinite(override) && override > 0) return override * 1000;
  return name ? TIER_LIMIT_S[name] * 1000 : undefined;
}

const log = (message) => process.stdout.write(`[test] ${message}\n`);

/** Does the small project already pick up test/ops/*.spec.ts? */
function smallCoversOps() {
  const config = require(path.join(ROOT, 'jest.config.js'));
  const small = (config.projects || []).find((p) => p.displayName === 'small');
  return Boolean(small && (small.testMatch || []).some((m) => /\btest\b/.test(m) && /\.spec\.ts/.test(m) && !/e2e|medium/.test(m)));
}

/** A jest config for test/ops/**\/*.spec.ts, built from the small project (same transform). */
function opsConfigFile(tmp) {
  const file = path.join(tmp, 'jest.ops.config.js');
  fs.writeFileSync(
    file,
    `const base = require(${JSON.stringify(path.join(ROOT, 'jest.config.js'))});\n` +
      `const small = base.projects.find((p) => p.displayName === 'small');\n` +
      `module.exports = { ...small, displayName: 'ops', testMatch: ['<rootDir>/test/ops/**/*.spec.ts'] };\n`,
  );
  return file;
}

function tiers(tmp) {
  const cores = os.cpus().length;
  const workers = String(Math.max(1, Math.min(cores, 4)));
  const list = [
    { name: 'small', args: ['--selectProjects', 'small', `--maxWorkers=${workers}`] },
    { name: 'medium', args: ['--selectProjects', 'medium', `--maxWorkers=${workers}`] },
    // each e2e file boots six apps: one file at a time on a small machine
    { name: 'e2e', args: ['--selectProjects', 'e2e', `--maxWorkers=${cores > 4 ? 2 : 1}`] },
  ];
  if (!smallCoversOps()) list.splice(1, 0, { name: 'ops', args: ['-c', opsConfigFile(tmp), `--maxWorkers=${workers}`] });
  return list;
}

let current;
function runJest(args, env, tierName) {
  const limitMs = tierLimitMs(tierName);
  if (limitMs === undefined) {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [JEST, ...args], { cwd: ROOT, env, stdio: 'inherit' });
      current = { signal: (signal) => child.kill(signal) };
      child.on('exit', (code, signal) => {
        current = undefined;
        resolve(code ?? (signal ? 1 : 0));
      });
    });
  }
  const label = tierName ?? 'jest';
  const run = runWithDeadline(process.execPath, [JEST, ...args], {
    cwd: ROOT,
    env,
    limitMs,
    onTimeout: (pid) => {
      log(`${label}: still running after ${limitMs / 1000} s — stopping it; a test process is stuck (the files not reported PASS/FAIL above were running) / 测试超时，已终止`);
      // what each process of the tier was doing, before it is stopped: the cause is not known yet
      if (pid) log(`${label}: the tier's processes:\n${describeProcessGroup(pid)}`);
    },
  });
  current = run;
  return run.done.then(({ code }) => {
    current = undefined;
    return code;
  });
}

function readCounts(file) {
  try {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    return {
      suites: r.numTotalTestSuites,
      tests: r.numTotalTests,
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + (r.numTodoTests || 0),
    };
  } catch {
    return undefined;
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const only = [];
  const passThrough = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tier' && argv[i + 1]) only.push(argv[++i]);
    else passThrough.push(argv[i]);
  }

  const started = [];
  const stopInfra = async () => {
    while (started.length) await started.pop().stop().catch(() => undefined);
  };
  const onSignal = (signal) => {
    if (current) current.signal(signal);
    void stopInfra().then(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let pg;
  let redis;
  try {
    pg = await discoverPostgres({ dataDir: DATA_DIR, log });
    if (pg.source === 'embedded') started.push(pg);
    redis = await discoverRedis({ dataDir: DATA_DIR, log });
    if (redis.source === 'embedded') started.push(redis);
  } catch (error) {
    await stopInfra();
    if (error instanceof MissingDependencyError) {
      process.stderr.write(`\n[test] ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  log(`PostgreSQL: ${redactUrl(pg.url)} (${pg.source}); Redis: ${redactUrl(redis.url)} (${redis.source})`);
  // --experimental-vm-modules: the gateway's query planner (@graphql-hive/router-runtime) loads its
  // native addon with a dynamic import(), which Jest's VM only allows with this flag.
  const nodeOptions = [process.env.NODE_OPTIONS, '--experimental-vm-modules'].filter(Boolean).join(' ');
  const env = { ...process.env, DATABASE_URL: pg.url, REDIS_URL: redis.url, NODE_OPTIONS: nodeOptions };

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-tests-'));
  const results = [];
  let exitCode = 0;
  try {
    if (passThrough.length > 0 && only.length === 0) {
      exitCode = await runJest(passThrough, env, undefined);
    } else {
      for (const tier of tiers(tmp).filter((t) => only.length === 0 || only.includes(t.name))) {
        log(`── ${tier.name} ──`);
        const out = path.join(tmp, `${tier.name}.json`);
        const t0 = Date.now();
        const code = await runJest([...tier.args, '--passWithNoTests', '--json', `--outputFile=${out}`, ...passThrough], env, tier.name);
        results.push({ tier: tier.name, code, seconds: (Date.now() - t0) / 1000, counts: readCounts(out) });
        if (code !== 0 && exitCode === 0) exitCode = code;
      }
    }
  } finally {
    await stopInfra();
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  if (results.length) {
    log('summary');
    for (const r of results) {
      const c = r.counts;
      const counts = c ? `${c.tests} tests in ${c.suites} files: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : 'no report';
      log(`  ${r.tier.padEnd(7)} ${r.code === 0 ? 'PASS' : 'FAIL'}  ${counts}  (${r.seconds.toFixed(1)} s${r.code === 124 ? ', stopped at its time limit' : ''})`);
    }
    // One plain closing line over all tiers (a tier without a report counts as a failure).
    const sum = (k) => results.reduce((n, r) => n + (r.counts ? r.counts[k] : 0), 0);
    const unreported = results.filter((r) => !r.counts).length;
    process.stdout.write(`total: ${sum('passed')} passed, ${sum('failed') + unreported} failed, ${sum('skipped')} skipped\n`);
  }
  process.exit(exitCode);
}

main().catch((error) => {
  process.stderr.write(`[test] ${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});

#!/usr/bin/env node
'use strict';
/**
 * `npm run test:dates`: runs the date-sensitive end-to-end files (every file that enrols people or
 * moves the clock) once per awkward day, with the apps' clock started there (HW_E2E_START_AT, read
 * by startStack). A test that builds its dates from the wall clock, or a rule that breaks at a
 * month's or a year's end or on a leap day, fails here on any day of the year.
 *
 *   npm run test:dates                         the default days
 *   npm run test:dates -- 2027-01-31 2026-12-31 other days (YYYY-MM-DD, 09:30 Asia/Shanghai)
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** The end of a 31-day month, a leap day, the end of a 30-day month, the end of a year. */
const DEFAULT_DAYS = ['2027-01-31', '2028-02-29', '2026-09-30', '2026-12-31'];
const FILES = ['test/first-path.e2e-spec.ts', 'test/correction-lifecycle.e2e-spec.ts', 'test/correction-jurisdiction.e2e-spec.ts'];

const days = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_DAYS;
const results = [];
for (const day of days) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    process.stderr.write(`test:dates: "${day}" is not YYYY-MM-DD\n`);
    process.exit(2);
  }
  const startAt = `${day}T09:30:00+08:00`;
  process.stdout.write(`[test:dates] ── apps' clock starts at ${startAt}\n`);
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts/run-tests.js'), ...FILES, '--runInBand', '--selectProjects', 'e2e'], {
    cwd: ROOT,
    env: { ...process.env, HW_E2E_START_AT: startAt },
    stdio: 'inherit',
  });
  results.push({ day, code: run.status ?? 1 });
}
for (const r of results) process.stdout.write(`[test:dates] ${r.day}: ${r.code === 0 ? 'passed' : `FAILED (jest exit ${r.code})`}\n`);
const failed = results.filter((r) => r.code !== 0).length;
process.stdout.write(`[test:dates] days: ${results.length - failed} of ${results.length} green\n`);
process.exit(failed ? 1 : 0);

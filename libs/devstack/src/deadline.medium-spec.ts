import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describeProcessGroup, runWithDeadline } from './processes';

jest.setTimeout(30_000);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** runWithDeadline: what scripts/run-tests.js runs each test tier under (a stuck worker must not hold CI). */
describe('runWithDeadline (real child processes)', () => {
  it('a child that ends in time answers its own exit code', async () => {
    const outcome = await runWithDeadline(process.execPath, ['-e', 'process.exit(3)'], { limitMs: 10_000 }).done;
    expect(outcome).toEqual({ code: 3, timedOut: false });
  });

  it('past the limit the whole group goes, a grandchild that ignores SIGTERM too, and the answer is 124', async () => {
    // the child starts a grandchild (like jest its workers) that ignores SIGTERM, prints its pid, and both wait forever
    const grandchild = `process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)`;
    const child = `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: 'ignore' });
      require('node:fs').writeFileSync(process.env.PID_FILE, String(c.pid)); setInterval(() => {}, 1000)`;
    const pidFile = path.join(os.tmpdir(), `hw-deadline-${process.pid}.pid`);
    let noticed = 0;
    const started = Date.now();
    const outcome = await runWithDeadline(process.execPath, ['-e', child], {
      env: { ...process.env, PID_FILE: pidFile },
      limitMs: 1_000,
      graceMs: 500,
      onTimeout: () => (noticed += 1),
    }).done;
    expect(outcome).toEqual({ code: 124, timedOut: true });
    expect(noticed).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    fs.rmSync(pidFile, { force: true });
    // SIGKILL after the grace period reaches the grandchild through the group
    const until = Date.now() + 3_000;
    while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    expect(alive(pid)).toBe(false);
  });

  it('before stopping a stuck tier it says what each process was doing: a main thread in a synchronous futex wait, with its native stack', async () => {
    // the grandchild blocks its main thread in Atomics.wait: a futex wait no JS timer can interrupt
    const grandchild = `require('node:fs').writeFileSync(process.env.PID_FILE, String(process.pid)); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)`;
    const child = `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}, 'stuck-grandchild'], { stdio: 'ignore' }); setInterval(() => {}, 1000)`;
    const pidFile = path.join(os.tmpdir(), `hw-deadline-stuck-${process.pid}.pid`);
    fs.rmSync(pidFile, { force: true });
    let described = '';
    const outcome = await runWithDeadline(process.execPath, ['-e', child], {
      env: { ...process.env, PID_FILE: pidFile },
      limitMs: 1_500,
      graceMs: 500,
      onTimeout: (pid) => (described = pid ? describeProcessGroup(pid, { gdbTimeoutMs: 20_000 }) : 'no pid'),
    }).done;
    fs.rmSync(pidFile, { force: true });
    expect(outcome.timedOut).toBe(true);
    const line = described.split('\n').find((l) => l.endsWith(' stuck-grandchild'));
    expect(line).toMatch(/^pid \d+ state S wchan futex\S* rss \d+ MB: /);
    expect(described).toMatch(/^ {2}thread \d+ node state S wchan futex/m);
    if (spawnSync('gdb', ['--version']).status === 0) expect(described).toMatch(/native stack of pid \d+ \(main thread, gdb\):\n[^]*AtomicsWait/);
  });
});

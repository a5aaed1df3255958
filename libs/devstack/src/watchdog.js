'use strict';
// Kills what a stack launcher started when the launcher dies without cleaning up (SIGKILL,
// crash, a jest worker torn down). The launcher keeps our stdin open and writes one line
// per process: "app <pid>" (a process group: SIGTERM to -pid), "infra <pid>" (a plain pid,
// stopped after the apps), "done <pid>" (already stopped). When stdin closes while
// something is still listed, the launcher is gone: stop the apps, then the infrastructure.
const apps = new Set();
const infra = new Map(); // pid -> signal

let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let newline;
  while ((newline = buffer.indexOf('\n')) >= 0) {
    const [kind, pidText, signal] = buffer.slice(0, newline).trim().split(/\s+/);
    buffer = buffer.slice(newline + 1);
    const pid = Number(pidText);
    if (!pid) continue;
    if (kind === 'app') apps.add(pid);
    else if (kind === 'infra') infra.set(pid, signal || 'SIGTERM');
    else if (kind === 'done') {
      apps.delete(pid);
      infra.delete(pid);
    }
  }
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(target, sig) {
  try {
    process.kill(target, sig);
  } catch {
    // already gone
  }
}

function waitGone(pids, ms) {
  const deadline = Date.now() + ms;
  return new Promise((resolve) => {
    const tick = () => {
      const left = pids.filter(alive);
      if (left.length === 0 || Date.now() > deadline) return resolve(left);
      setTimeout(tick, 100);
    };
    tick();
  });
}

let reaping = false;
async function reap() {
  if (reaping) return;
  reaping = true;
  const groups = [...apps];
  for (const pid of groups) signal(-pid, 'SIGTERM');
  const stubborn = await waitGone(groups, 10000);
  for (const pid of stubborn) signal(-pid, 'SIGKILL');
  const rest = [...infra.keys()];
  for (const [pid, sig] of infra) signal(pid, sig);
  const left = await waitGone(rest, 15000);
  for (const pid of left) signal(pid, 'SIGKILL');
  process.exit(0);
}

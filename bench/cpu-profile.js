/**
 * Preload for `npm run bench:ingest` with BENCH_CPU_PROF=<dir> (node refuses --cpu-prof in
 * NODE_OPTIONS): `-r bench/cpu-profile.js` starts the V8 CPU profiler in the process and writes
 * `<dir>/<app>-<pid>.cpuprofile` at the first SIGTERM (the stack's stop; Nest's shutdown hook then
 * re-raises the signal, so 'exit' never comes) or at exit, whichever is first.
 */
const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const inspector = require('node:inspector');
  const app = (process.argv.find((a) => /apps\/[^/]+\/src\/main/.test(a)) || 'other').replace(/.*apps\/([^/]+)\/.*/, '$1');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.enable');
  session.post('Profiler.start');
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    session.post('Profiler.stop', (err, res) => {
      if (!err && res) fs.writeFileSync(path.join(dir, `${app}-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  };
  const onTerm = () => {
    process.removeListener('SIGTERM', onTerm);
    write();
  };
  process.on('SIGTERM', onTerm);
  process.on('exit', write);
}

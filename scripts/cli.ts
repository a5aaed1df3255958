/**
 * Admin CLI: `npm run cli -- <command>` (migrate, seed, user:create, partner:create, audit:verify; `help` for usage).
 * Bad arguments → usage on stderr and exit code 2.
 *
 * Beside `npm start` it needs no variable: what is not set explicitly comes from the dev stack's
 * data folder (HOMEWARD_DATA_DIR, else .data/: dev-stack.json and dev-secrets.json). Not in production.
 */
import 'reflect-metadata';
import { devCliEnv } from '@homeward/devstack/dev-env';
import { runCli } from './cli/main';

const dev = devCliEnv(process.env);
if (dev.source) {
  process.stderr.write(`using ${dev.source}\n`);
  for (const [key, value] of Object.entries(dev.env)) if (value !== undefined) process.env[key] = value;
}

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);

/**
 * Admin CLI: `npm run cli -- <command>` (migrate, seed, user:create, partner:create, audit:verify; `help` for usage).
 * Bad arguments → usage on stderr and exit code 2.
 */
import 'reflect-metadata';
import { runCli } from './cli/main';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);

/**
 * Compose the production supergraph from the checked-in subgraph SDLs (apps/<app>/schema.gql).
 *
 *   npm run compose:supergraph -- --out supergraph.graphql
 *
 * The gateway loads the result from SUPERGRAPH_PATH. The URLs written into it come from
 * IDENTITY_URL, CORRECTION_URL, ... when set (else the local default ports); the gateway
 * routes by its own configuration anyway, so one file serves every environment.
 * Exit codes: 0 composed, 1 composition failed (errors listed), 2 bad arguments.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeSupergraph, SubgraphSdl } from '../apps/gateway/src/graphql/compose';

interface SubgraphSource {
  name: string;
  dir: string;
  env: string;
  defaultUrl: string;
}

const SOURCES: readonly SubgraphSource[] = [
  { name: 'identity', dir: 'identity', env: 'IDENTITY_URL', defaultUrl: 'http://127.0.0.1:3001' },
  { name: 'community-correction', dir: 'community-correction', env: 'CORRECTION_URL', defaultUrl: 'http://127.0.0.1:3002' },
  { name: 'resettlement', dir: 'resettlement', env: 'RESETTLEMENT_URL', defaultUrl: 'http://127.0.0.1:3003' },
  { name: 'aftercare', dir: 'aftercare', env: 'AFTERCARE_URL', defaultUrl: 'http://127.0.0.1:3004' },
  { name: 'alerts', dir: 'alerts', env: 'ALERTS_URL', defaultUrl: 'http://127.0.0.1:3005' },
];

const USAGE = 'usage: npm run compose:supergraph -- [--out supergraph.graphql] [--root <repo dir>]';

function parseArgs(argv: readonly string[]): { out?: string; root: string } {
  let out: string | undefined;
  let root = resolve(__dirname, '..');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if ((arg === '--out' || arg === '--root') && value && !value.startsWith('--')) {
      if (arg === '--out') out = value;
      else root = resolve(value);
      i++;
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`Unknown or incomplete argument: ${arg}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return { out, root };
}

function main(): void {
  const { out, root } = parseArgs(process.argv.slice(2));
  const subgraphs: SubgraphSdl[] = [];
  const missing: string[] = [];
  for (const s of SOURCES) {
    const file = resolve(root, 'apps', s.dir, 'schema.gql');
    if (!existsSync(file)) {
      missing.push(file);
      continue;
    }
    const base = (process.env[s.env] ?? s.defaultUrl).replace(/\/+$/, '');
    subgraphs.push({ name: s.name, url: `${base}/graphql`, sdl: readFileSync(file, 'utf8') });
  }
  if (missing.length > 0) {
    process.stderr.write(
      `Subgraph schema files are missing (each app writes its SDL when it starts in development):\n${missing
        .map((m) => `  - ${m}`)
        .join('\n')}\n`,
    );
    process.exit(1);
  }
  const outcome = composeSupergraph(subgraphs);
  if (!outcome.ok) {
    process.stderr.write(`Composition failed with ${outcome.errors.length} error(s):\n`);
    for (const e of outcome.errors) process.stderr.write(`  - ${e}\n`);
    process.exit(1);
  }
  for (const h of outcome.hints) process.stderr.write(`hint: ${h}\n`);
  if (out) {
    writeFileSync(resolve(out), outcome.supergraphSdl);
    process.stderr.write(`Supergraph of ${subgraphs.length} subgraphs written to ${resolve(out)}\n`);
  } else {
    process.stdout.write(outcome.supergraphSdl);
  }
}

main();

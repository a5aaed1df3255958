import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT_DIR } from '@homeward/devstack';

/**
 * What `cli migrate` and `cli seed` read, relative to the repository root: every app's migrations,
 * seed and reference loaders, the platform's migrations and audit SQL, the shipped reference files,
 * the CLI itself, the app list (roles) and the lock file (TypeORM's version). A change to any of them
 * changes the fingerprint, so a stale migrated template is never copied.
 */
const INPUTS = [
  'apps/*/src/migrations',
  'apps/*/src/seed.ts',
  'apps/*/src/reference',
  'libs/platform/src/database',
  'libs/platform/src/audit',
  'libs/domain/src/reference',
  'libs/devstack/src/apps.ts',
  'scripts/cli',
  'package-lock.json',
];

function expand(pattern: string): string[] {
  const [first, ...rest] = pattern.split('/*/');
  if (rest.length === 0) return [pattern];
  const base = path.join(ROOT_DIR, first);
  if (!fs.existsSync(base)) return [];
  return fs.readdirSync(base).map((d) => `${first}/${d}/${rest.join('/*/')}`);
}

function filesUnder(rel: string): string[] {
  const abs = path.join(ROOT_DIR, rel);
  if (!fs.existsSync(abs)) return [];
  const stat = fs.statSync(abs);
  if (stat.isFile()) return [rel];
  return fs
    .readdirSync(abs)
    .sort()
    .flatMap((name) => (/\.(medium-)?spec\.ts$/.test(name) ? [] : filesUnder(`${rel}/${name}`)));
}

/** The files the fingerprint covers, relative to the repository root, sorted. */
export function schemaFingerprintInputs(): string[] {
  return INPUTS.flatMap(expand).flatMap(filesUnder).sort();
}

/** sha256 over the paths and contents of the migrations' and the seed's inputs (tests excluded). */
export function schemaFingerprint(): string {
  const hash = createHash('sha256');
  for (const rel of schemaFingerprintInputs()) {
    hash.update(rel).update('\0').update(fs.readFileSync(path.join(ROOT_DIR, rel))).update('\0');
  }
  return hash.digest('hex');
}

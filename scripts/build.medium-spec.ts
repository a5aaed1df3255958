import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SHIPPED_TOWNS } from '@homeward/domain';

const ROOT = path.resolve(__dirname, '..');
const BUILD = path.join(ROOT, 'scripts', 'build.js');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

describe('npm run build (scripts/build.js: SWC into the nest build layout)', () => {
  let out: string;
  beforeAll(() => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-build-'));
    execFileSync(process.execPath, [BUILD, 'gateway', 'cli', '--out', out], { cwd: ROOT, stdio: 'pipe' });
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('writes the entries where the image, the manifests and HW_STACK_RUNTIME=dist start them', () => {
    expect(fs.existsSync(path.join(out, 'apps/gateway/apps/gateway/src/main.js'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'cli/scripts/cli.js'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'apps/alerts'))).toBe(false); // only the projects asked for
  });

  it('ships no test code: no spec files, no test harnesses, not libs/testing', () => {
    const shipped = [...filesUnder(path.join(out, 'apps/gateway')), ...filesUnder(path.join(out, 'cli'))].map((f) => path.relative(out, f));
    expect(shipped.length).toBeGreaterThan(100);
    expect(shipped.filter((f) => /spec\.js$|\/test\/|libs\/testing\//.test(f))).toEqual([]);
  });

  it('rewrites the @homeward/* paths to relative requires and copies the JSON the code requires (the town table loads)', () => {
    const js = filesUnder(path.join(out, 'apps/gateway')).filter((f) => f.endsWith('.js'));
    expect(js.filter((f) => fs.readFileSync(f, 'utf8').includes('require("@homeward/'))).toEqual([]);
    const towns = spawnSync(process.execPath, ['-e', `process.stdout.write(String(require(${JSON.stringify(path.join(out, 'apps/gateway/libs/domain/src'))}).SHIPPED_TOWNS.length))`], {
      encoding: 'utf8',
    });
    expect(towns.stderr).toBe('');
    expect(Number(towns.stdout)).toBe(SHIPPED_TOWNS.length);
  });

  it('refuses a project nest-cli.json does not have, writing nothing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-build-'));
    const run = spawnSync(process.execPath, [BUILD, 'no-such-app', '--out', empty], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('no application project no-such-app in nest-cli.json');
    expect(fs.readdirSync(empty)).toEqual([]);
    fs.rmSync(empty, { recursive: true, force: true });
  });
});

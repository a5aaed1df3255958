/**
 * Issue 8 item 6: the walls of the house, checked by dependency-cruiser (.dependency-cruiser.cjs;
 * `npm run boundaries` runs the same check). No app imports another app, no lib imports an app or
 * scripts/, libs/domain imports node built-ins only, no file imports in a circle.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT_DIR } from '@homeward/devstack';

jest.setTimeout(180_000);

const CRUISER = path.join(ROOT_DIR, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const CONFIG = path.join(ROOT_DIR, '.dependency-cruiser.cjs');

/** Runs the check over `dirs` from `cwd`; the `err` reporter lists each violating import as `from → to`. */
function cruise(cwd: string, dirs: string[]): { code: number | null; output: string } {
  const run = spawnSync(process.execPath, [CRUISER, ...dirs, '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

function write(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

describe('boundaries (dependency-cruiser)', () => {
  it('issue 8 item 6: the repository has no forbidden import (the violations are listed when there are)', () => {
    const { code, output } = cruise(ROOT_DIR, ['apps', 'libs', 'scripts', 'test', 'bench']);
    // On failure jest prints `output`: one line per violating import, `rule: from → to`.
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
  });

  it('issue 8 item 6: a deliberately bad tree fails, naming each violating import and its rule', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-boundaries-'));
    try {
      write(tmp, 'tsconfig.json', JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@homeward/domain': ['libs/domain/src'] } } }));
      write(tmp, 'package.json', JSON.stringify({ name: 'fixture', private: true }));
      write(tmp, 'apps/one/src/a.ts', "import { b } from '../../two/src/b';\nexport const a = b;\n");
      write(tmp, 'apps/two/src/b.ts', 'export const b = 1;\n');
      write(tmp, 'libs/platform/src/p.ts', "import { a } from '../../../apps/one/src/a';\nimport { s } from '../../../scripts/s';\nexport const p = a + s;\n");
      write(tmp, 'scripts/s.ts', 'export const s = 2;\n');
      write(tmp, 'libs/domain/src/d.ts', "import { createHash } from 'node:crypto';\nimport { p } from '../../platform/src/p';\nexport const d = [createHash, p];\n");
      write(tmp, 'libs/bus/src/x.ts', "import { y } from './y';\nexport const x = () => y;\n");
      write(tmp, 'libs/bus/src/y.ts', "import { x } from './x';\nexport const y = () => x;\n");
      const { code, output } = cruise(tmp, ['apps', 'libs', 'scripts']);
      expect(code).not.toBe(0);
      expect(output).toContain('app-imports-other-app: apps/one/src/a.ts → apps/two/src/b.ts');
      expect(output).toContain('lib-imports-app-or-scripts: libs/platform/src/p.ts → apps/one/src/a.ts');
      expect(output).toContain('lib-imports-app-or-scripts: libs/platform/src/p.ts → scripts/s.ts');
      expect(output).toContain('domain-not-pure: libs/domain/src/d.ts → libs/platform/src/p.ts');
      expect(output).not.toContain('domain-not-pure: libs/domain/src/d.ts → node:crypto');
      expect(output).toMatch(/no-circular: libs\/bus\/src\/(x|y)\.ts →/);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

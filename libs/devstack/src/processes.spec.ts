import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT_DIR } from './apps';
import { CLI_DIST_ENTRY, devRuntime, distEntry, stackRuntime } from './processes';

describe('stackRuntime (HW_STACK_RUNTIME: the e2e stack from source or from the nest build)', () => {
  it('runs from source when the variable is unset, empty or ts-node', () => {
    expect(stackRuntime({}, ['alerts'])).toBe('ts-node');
    expect(stackRuntime({ HW_STACK_RUNTIME: '' }, ['alerts'])).toBe('ts-node');
    expect(stackRuntime({ HW_STACK_RUNTIME: 'ts-node' }, ['alerts'])).toBe('ts-node');
  });

  it('refuses a value it does not know instead of guessing', () => {
    expect(() => stackRuntime({ HW_STACK_RUNTIME: 'built' }, ['alerts'])).toThrow('HW_STACK_RUNTIME must be "dist" or "ts-node", got "built"');
  });

  it('refuses dist when an app has not been built, naming the missing entry (never a silent fall-back to source)', () => {
    const entry = distEntry('no-such-app' as never);
    expect(fs.existsSync(path.join(ROOT_DIR, entry))).toBe(false);
    expect(() => stackRuntime({ HW_STACK_RUNTIME: 'dist' }, ['no-such-app' as never])).toThrow(`${entry}`);
  });

  it('names the CLI entry that nest build cli writes (scripts/tsconfig.cli.json)', () => {
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'scripts/tsconfig.cli.json'), 'utf8')) as { compilerOptions: { outDir: string } };
    expect(path.join('scripts', tsconfig.compilerOptions.outDir, 'scripts/cli.js')).toBe(path.normalize(CLI_DIST_ENTRY));
  });
});

describe('devRuntime (npm start: build and run dist unless HW_STACK_RUNTIME=ts-node)', () => {
  it('runs from source without building when asked to', async () => {
    const said: string[] = [];
    await expect(devRuntime({ HW_STACK_RUNTIME: 'ts-node' }, (m) => said.push(m))).resolves.toBe('ts-node');
    expect(said).toEqual([]);
  });

  it('refuses a value it does not know, before building anything', async () => {
    const said: string[] = [];
    await expect(devRuntime({ HW_STACK_RUNTIME: 'built' }, (m) => said.push(m))).rejects.toThrow('HW_STACK_RUNTIME must be "dist" or "ts-node", got "built"');
    expect(said).toEqual([]);
  });
});

/** README.md (issue 2 item 13): the two commands first, and every configuration variable in the table. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeConfig } from '@homeward/platform';
import { APPS, ROOT_DIR, type AppName } from '@homeward/devstack';

const readme = fs.readFileSync(path.join(ROOT_DIR, 'README.md'), 'utf8');

function configClassOf(app: AppName): new () => object {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(ROOT_DIR, 'apps', app, 'src', 'config.ts')) as Record<string, unknown>;
  const found = Object.entries(mod).find(([name, value]) => typeof value === 'function' && /Config$/.test(name));
  if (!found) throw new Error(`no <X>Config class in apps/${app}/src/config.ts`);
  return found[1] as new () => object;
}

/** Variable names in the first column of the README's configuration table. */
function documentedVariables(): Set<string> {
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
  const names = new Set<string>();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
    for (const m of line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.add(m[1]);
  }
  return names;
}

describe('README.md', () => {
  it('starts with the two commands: npm install && npm start, npm test', () => {
    const firstBlock = readme.slice(readme.indexOf('```'), readme.indexOf('```', readme.indexOf('```') + 3));
    expect(firstBlock).toContain('npm install && npm start');
    expect(firstBlock).toContain('npm test');
    expect(readme.indexOf('```')).toBeLessThan(readme.indexOf('## '));
  });

  it.each(APPS.map((a) => a.name))('documents every configuration variable %s reads', (name) => {
    const documented = documentedVariables();
    const missing = describeConfig(configClassOf(name))
      .map((v) => v.name)
      .filter((v) => !documented.has(v));
    expect(missing).toEqual([]);
  });

  it('links the architecture docs and names the CLI commands', () => {
    expect(readme).toContain('(docs/internals.md)');
    for (const command of ['migrate', 'seed', 'user:create', 'partner:create', 'audit:verify']) expect(readme).toContain(`npm run cli -- ${command}`);
  });
});

#!/usr/bin/env node
'use strict';
/**
 * `npm run build`: transpiles every app and the CLI with SWC into the layout `nest build` (builder tsc)
 * writes — dist/apps/<app>/apps/<app>/src/main.js, dist/cli/scripts/cli.js, each target with its own copy
 * of libs/ — from the file lists of the tsconfig each nest-cli.json project names. Types are checked once,
 * by `npm run typecheck` (tsc --noEmit over the whole repository); seven tsc emits checked them seven more
 * times (158 s in CI on two cores, against a few seconds here). The SWC options are the jest transform's
 * (jest.config.js), under which every test already runs the code, plus the tsconfig `paths`, which SWC
 * rewrites to relative requires as the nest tsc builder's paths plugin does.
 *
 *   npm run build                  every application project in nest-cli.json
 *   npm run build -- gateway cli   some of them
 *   npm run build -- --out DIR     write DIR/apps/<app>/…, DIR/cli/… instead of dist/ (the build's own test)
 */
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const swc = require('@swc/core');

const ROOT = path.resolve(__dirname, '..');

/** SWC options: the jest transform's (jest.config.js), plus the module paths from the tsconfig. */
function swcOptions(filename, compilerOptions) {
  return {
    filename,
    swcrc: false,
    configFile: false,
    sourceMaps: true,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: compilerOptions.baseUrl ?? ROOT,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs' },
  };
}

/** The application projects of nest-cli.json, each with the files and outDir of its tsconfig. */
function targets(only, outRoot) {
  const nest = JSON.parse(fs.readFileSync(path.join(ROOT, 'nest-cli.json'), 'utf8'));
  const apps = Object.entries(nest.projects).filter(([, p]) => p.type === 'application');
  const unknown = only.filter((name) => !apps.some(([n]) => n === name));
  if (unknown.length) throw new Error(`no application project ${unknown.join(', ')} in nest-cli.json`);
  return apps
    .filter(([name]) => only.length === 0 || only.includes(name))
    .map(([name, project]) => {
      const configFile = path.join(ROOT, project.compilerOptions.tsConfigPath);
      const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
      if (!parsed) throw new Error(`cannot read ${configFile}`);
      if (parsed.errors.length) throw new Error(ts.formatDiagnostics(parsed.errors, ts.createCompilerHost({})));
      const outDir = outRoot ? path.join(outRoot, path.relative(path.join(ROOT, 'dist'), parsed.options.outDir)) : parsed.options.outDir;
      return { name, outDir, options: parsed.options, files: parsed.fileNames.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')) };
    });
}

/**
 * The source files a compiled file requires by relative path (the `paths` are relative by then): a
 * `.json` file, or a `.ts` module (file or directory index) that the tsconfig's include did not list —
 * tsc emits both, following the imports.
 */
function localRequires(source, code) {
  const found = [];
  for (const m of code.matchAll(/require\("(\.{1,2}\/[^"]*)"\)/g)) {
    const base = path.resolve(path.dirname(source), m[1]);
    const file = [base, `${base}.ts`, path.join(base, 'index.ts')].find((f) => /\.(ts|json)$/.test(f) && fs.existsSync(f) && fs.statSync(f).isFile());
    if (file) found.push(file);
  }
  return found;
}

async function main() {
  const started = Date.now();
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const outRoot = at >= 0 ? path.resolve(args.splice(at, 2)[1] ?? '') : undefined;
  const list = targets(args, outRoot);
  const compiled = new Map(); // source file → Promise<{ code, map }>, shared by the targets that include it
  const compile = (file, options) => {
    if (!compiled.has(file)) compiled.set(file, swc.transformFile(file, swcOptions(file, options)));
    return compiled.get(file);
  };
  let written = 0;
  for (const target of list) {
    fs.rmSync(target.outDir, { recursive: true, force: true });
    const json = new Set();
    const seen = new Set(target.files);
    const emit = async (file) => {
      const { code, map } = await compile(file, target.options);
      const out = path.join(target.outDir, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
      fs.writeFileSync(`${out}.map`, map);
      written++;
      const more = [];
      for (const dep of localRequires(file, code)) {
        if (dep.endsWith('.json')) json.add(dep);
        else if (!seen.has(dep)) {
          seen.add(dep);
          more.push(emit(dep));
        }
      }
      await Promise.all(more);
    };
    await Promise.all(target.files.map(emit));
    for (const file of json) {
      const out = path.join(target.outDir, path.relative(ROOT, file));
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.copyFileSync(file, out);
    }
    process.stdout.write(`[build] ${target.name}: ${seen.size} files${json.size ? ` + ${json.size} json` : ''} → ${path.relative(ROOT, target.outDir)}\n`);
  }
  process.stdout.write(`[build] ${list.length} targets, ${compiled.size} sources, ${written} files written in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

main().catch((error) => {
  process.stderr.write(`[build] ${error.stack ?? error}\n`);
  process.exit(1);
});

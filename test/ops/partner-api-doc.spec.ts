/**
 * docs/partner-api.md is the contract (issue 8 item 7): every REST route an app serves under
 * /api/v1 is written there, so a route added in code without its line in the contract fails here.
 * The routes are read from the controllers' own Nest metadata, not parsed from text.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import 'reflect-metadata';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';

const ROOT = path.resolve(__dirname, '..', '..');
const contract = fs.readFileSync(path.join(ROOT, 'docs', 'partner-api.md'), 'utf8');

function controllerFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...controllerFiles(full));
    else if (entry.name.endsWith('.controller.ts')) out.push(full);
  }
  return out;
}

interface Route {
  method: string;
  path: string;
  file: string;
}

function routesOf(file: string): Route[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(file) as Record<string, unknown>;
  const routes: Route[] = [];
  for (const value of Object.values(mod)) {
    if (typeof value !== 'function') continue;
    const prefix = Reflect.getMetadata(PATH_METADATA, value) as string | undefined;
    if (prefix === undefined) continue;
    const proto = (value as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (sub === undefined || method === undefined) continue;
      const joined = `/${[prefix, sub].map((p) => p.replace(/^\/|\/$/g, '')).filter(Boolean).join('/')}`;
      routes.push({ method: RequestMethod[method], path: joined.replace(/:(\w+)/g, '{$1}'), file: path.relative(ROOT, file) });
    }
  }
  return routes;
}

const routes = controllerFiles(path.join(ROOT, 'apps'))
  .flatMap(routesOf)
  .filter((r) => r.path.startsWith('/api/v1/'));

/** `{id}` in code and `{documentId}` or `{id}` in the doc are the same slot. */
function pattern(r: Route): RegExp {
  const escaped = r.path
    .split(/\{\w+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\{\\w+\\}');
  return new RegExp(`${r.method}\\s+${escaped}(?![\\w/{])`);
}

describe('docs/partner-api.md, the partner contract (issue 8 item 7)', () => {
  it('finds the REST routes of the apps', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toContain('POST /api/v1/correction/enrolments');
  });

  it('lists every /api/v1 route an app serves, with its method', () => {
    const missing = routes.filter((r) => !pattern(r).test(contract)).map((r) => `${r.method} ${r.path} (${r.file})`);
    expect(missing).toEqual([]);
  });
});

import { AsyncLocalStorage } from 'node:async_hooks';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role } from '@homeward/domain';
import { createApp, loadConfig } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { flushRedisPrefix, testRedisPrefix } from '@homeward/testing';
import { AppModule } from '../apps/community-correction/src/app.module';

/** Sends one GraphQL body and returns the parsed answer. */
export type Send = (body: { query: string; variables: Record<string, unknown> }) => Promise<{ data?: any; errors?: unknown[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any
import { CorrectionConfig } from '../apps/community-correction/src/config';

export interface StatementCount {
  pageSize: number;
  statements: number;
  /** The statements of the first run (SQL text shortened), to show what is issued. */
  sample: string[];
}

/**
 * Counts the SQL statements one caseload query issues: the community-correction app runs
 * in-process on the bench database, every HTTP request runs in its own AsyncLocalStorage
 * context, and a wrapper around the DataSource's logger counts each statement TypeORM sends
 * (`logQuery` is called for every query, BEGIN/COMMIT included) inside that context — so the
 * outbox relay, schedulers and workers in the background are not counted.
 */
export async function countStatements(
  env: Record<string, string>,
  read: (send: Send, size: number) => Promise<{ rows: number; requests: number }>,
  pageSizes: number[],
): Promise<StatementCount[]> {
  const keys = new TestKeys();
  const prefix = testRedisPrefix('bench-sql');
  const config = loadConfig(CorrectionConfig, { ...env, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', IDENTITY_URL: 'http://127.0.0.1:1' });
  @Module({ imports: [AppModule.forRoot({ configInstance: config, jwks: { useValue: keys.provider } })] })
  class BenchApp {}
  const app = await createApp(BenchApp, { name: 'community-correction', defaultPort: 0, logger: false });
  const als = new AsyncLocalStorage<{ statements: string[] }>();
  try {
    const ds = app.get(DataSource);
    const logger = ds.logger;
    const counting = new Proxy(logger, {
      get(target, prop, receiver) {
        if (prop === 'logQuery') {
          return (q: string, params?: unknown[], runner?: unknown) => {
            als.getStore()?.statements.push(q);
            return target.logQuery(q, params, runner as never);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    Object.defineProperty(ds, 'logger', { value: counting, configurable: true, writable: true });

    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer();
    const listeners = server.listeners('request') as Array<(...a: unknown[]) => void>;
    server.removeAllListeners('request');
    let current: { statements: string[] } | undefined;
    server.on('request', (req: unknown, res: unknown) => {
      const store = current ?? { statements: [] };
      als.run(store, () => listeners.forEach((l) => l.call(server, req, res)));
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    const token = keys.mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'], username: 'bench' }));

    const run = async (pageSize: number): Promise<string[]> => {
      current = { statements: [] };
      const store = current;
      const send: Send = async (body) =>
        (await (
          await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) })
        ).json()) as Awaited<ReturnType<Send>>;
      await read(send, pageSize);
      current = undefined;
      return store.statements;
    };

    const results: StatementCount[] = [];
    for (const size of pageSizes) {
      await run(size); // warm caches (metadata, prepared plans) once
      const counts: number[] = [];
      let sample: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const statements = await run(size);
        counts.push(statements.length);
        if (i === 0) sample = statements.map((s) => s.replace(/\s+/g, ' ').slice(0, 140));
      }
      results.push({ pageSize: size, statements: Math.max(...counts), sample });
    }
    return results;
  } finally {
    await app.close();
    await flushRedisPrefix(env.REDIS_URL, prefix).catch(() => undefined);
  }
}

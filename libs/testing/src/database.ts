import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';

/** A throw-away PostgreSQL database for one test file. */
export interface TestDatabase {
  /** Connection URL of the fresh database. */
  url: string;
  /** Database name (`hw_t_<random>`; `<ns>_t_<random>` under HW_TEST_NAMESPACE). */
  name: string;
  /**
   * The URL of the same database as another login role (an app's `hw_<schema>`, `hw_auditor`):
   * `url` is the migrator's (the server's superuser in tests), apps connect with their own role.
   */
  urlAs(role: string): string;
  /** A query as the migrator/superuser (e.g. reading `audit.events`, which app roles may not). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Terminates every connection to it and drops it. Safe to call twice. */
  drop(): Promise<void>;
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The namespace of what tests and benches create on the shared servers: `hw` (databases `hw_t_*`,
 * templates `hw_tpl_*`, Redis `hwt:*`) unless `HW_TEST_NAMESPACE` names another (lowercase letters
 * and digits), e.g. `pf`: `pf_t_*`, `pf_tpl_*`, `pf:*` — runs of two branches on one machine then
 * never drop each other's template (a template of another fingerprint in the same namespace is dropped).
 */
export function testNamespace(): string {
  const ns = process.env.HW_TEST_NAMESPACE;
  if (ns === undefined || ns === '') return 'hw';
  if (!/^[a-z][a-z0-9]*$/.test(ns)) throw new Error(`HW_TEST_NAMESPACE "${ns}" must be lowercase letters and digits`);
  return ns;
}

/** The admin connection URL: `DATABASE_URL` when set, else local PostgreSQL as user postgres. */
export function testAdminDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? DEFAULT_ADMIN_URL;
}

async function withAdmin<T>(adminUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh database `hw_t_<random>` (`<ns>_t_…`, see testNamespace) on the server of `DATABASE_URL`
 * (or 127.0.0.1:5432, user postgres) and returns its URL. One per test file, so files run in parallel.
 * With `template`: a copy of that database (see `migratedTemplate`), still the file's own.
 */
export async function createTestDatabase(opts: { template?: string } = {}): Promise<TestDatabase> {
  const adminUrl = testAdminDatabaseUrl();
  const name = `${testNamespace()}_t_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"${opts.template ? ` TEMPLATE "${opts.template}"` : ''}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  let pool: TestPool | undefined;
  return {
    url: url.toString(),
    name,
    urlAs(role: string): string {
      const u = new URL(url.toString());
      u.username = role;
      return u.toString();
    },
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      pool ??= openPool(url.toString());
      return (await pool.query(sql, params)).rows as T[];
    },
    async drop(): Promise<void> {
      if (dropped) return;
      dropped = true;
      await pool?.close();
      await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

interface TestPool {
  query: Pool['query'];
  /** Ends the pool and waits until every client's socket is closed. */
  close(): Promise<void>;
}

/**
 * The test's own small pool. pg-pool's end() resolves once its clients are told to end, not once
 * they have: a DROP DATABASE … WITH (FORCE) right after can reach a backend that has not yet read
 * the Terminate message, which then sends 57P01 to a client the pool no longer listens to — an
 * unhandled 'error' that failed a whole test file in CI. The pool's clients are counted from
 * 'connect' to 'remove' and close() waits for the count to reach zero; idle-client errors (a
 * backend killed by a fault test) are the pool's business and never an unhandled event.
 */
function openPool(connectionString: string): TestPool {
  const pool = new Pool({ connectionString, max: 2 });
  let open = 0;
  let allRemoved: (() => void) | undefined;
  pool.on('connect', () => (open += 1));
  pool.on('remove', () => {
    open -= 1;
    if (open === 0) allRemoved?.();
  });
  pool.on('error', () => undefined);
  return {
    query: pool.query.bind(pool) as Pool['query'],
    async close(): Promise<void> {
      const removed = open === 0 ? Promise.resolve() : new Promise<void>((resolve) => (allRemoved = resolve));
      await pool.end().catch(() => undefined);
      // A socket that never reports its end must not hang the file's afterAll.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([removed, new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
      clearTimeout(timer);
    },
  };
}

/**
 * A database already migrated and seeded, to copy with `createTestDatabase({ template })`: the e2e
 * stacks skip `cli migrate` and `cli seed` (about 4 s of each file's start here), each file still gets
 * a fresh database of its own. Named by `fingerprint` (a hash of everything the migrations and the
 * seed read, see the caller), built once by whichever file needs it first (under an advisory lock,
 * so parallel files wait instead of racing), then renamed into place, so a half-built template is
 * never copied; templates of the same `family` with other fingerprints (older code) are dropped then.
 */
export async function migratedTemplate(fingerprint: string, build: (url: string) => Promise<void>, family = 'e2e'): Promise<string> {
  if (!/^[a-z0-9]+$/.test(family)) throw new Error(`migratedTemplate: family "${family}" must be lowercase letters and digits`);
  const adminUrl = testAdminDatabaseUrl();
  const prefix = `${testNamespace()}_tpl_${family}_`;
  const name = `${prefix}${fingerprint.slice(0, 24)}`;
  return withAdmin(adminUrl, async (c) => {
    await c.query(`SELECT pg_advisory_lock(hashtext('homeward:test-template'))`);
    try {
      const exists = await c.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [name]);
      if (exists.rowCount) return name;
      const building = `${name}_b${randomBytes(3).toString('hex')}`;
      await c.query(`CREATE DATABASE "${building}"`);
      try {
        const url = new URL(adminUrl);
        url.pathname = `/${building}`;
        await build(url.toString());
        // The builder's connections end just after its processes exit: wait for the last one to go.
        for (let attempt = 0; ; attempt += 1) {
          try {
            await c.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
            break;
          } catch (e) {
            if ((e as { code?: string }).code !== '55006' || attempt >= 50) throw e;
            await new Promise((r) => setTimeout(r, 100));
          }
        }
      } catch (error) {
        await c.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`).catch(() => undefined);
        throw error;
      }
      const stale = await c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $2) AND datname <> $1`, [name, prefix]);
      // A copy in progress elsewhere holds no connection to the template; a failed drop only leaves it for next time.
      for (const r of stale.rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}"`).catch(() => undefined);
      return name;
    } finally {
      await c.query(`SELECT pg_advisory_unlock(hashtext('homeward:test-template'))`).catch(() => undefined);
    }
  });
}

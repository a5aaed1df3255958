import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Something that runs SQL (a TypeORM DataSource or a pg Client). */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

export interface StatementFault {
  /** `schema.table` the fault is attached to. */
  table: string;
  /** The statement that fails: `BEFORE INSERT`, `AFTER INSERT`, `BEFORE UPDATE`… or `COMMIT` (a deferred trigger on insert/update of the table, run at commit). */
  at: 'BEFORE INSERT' | 'AFTER INSERT' | 'BEFORE UPDATE' | 'AFTER UPDATE' | 'COMMIT';
  /** `terminate`: the transaction's backend is killed (pg_terminate_backend, a dropped connection); `cancel`: the statement is cancelled (pg_cancel_backend). */
  action: 'terminate' | 'cancel';
  /** Optional SQL condition on NEW (e.g. `NEW.name = 'x'`). */
  when?: string;
}

/**
 * Fault injection for medium tests (issue 14): a trigger on `table` that kills the backend of the
 * transaction that writes it, or cancels its statement, at exactly that step. Returns a function that
 * removes it. Real PostgreSQL behaviour: the client sees the same errors as in an outage.
 */
export async function injectStatementFault(db: SqlRunner, fault: StatementFault): Promise<() => Promise<void>> {
  const id = `hw_fault_${randomBytes(4).toString('hex')}`;
  const [schema] = fault.table.split('.');
  const fn = `"${schema}".${id}`;
  const signal = fault.action === 'terminate' ? 'pg_terminate_backend' : 'pg_cancel_backend';
  await db.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM ${signal}(pg_backend_pid());
      PERFORM pg_sleep(10);
      RETURN NULL;
    END $$`);
  const when = fault.when ? `WHEN (${fault.when})` : '';
  if (fault.at === 'COMMIT') {
    await db.query(
      `CREATE CONSTRAINT TRIGGER ${id} AFTER INSERT OR UPDATE ON ${fault.table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW ${when} EXECUTE FUNCTION ${fn}()`,
    );
  } else {
    await db.query(`CREATE TRIGGER ${id} ${fault.at} ON ${fault.table} FOR EACH ROW ${when} EXECUTE FUNCTION ${fn}()`);
  }
  return async () => {
    await db.query(`DROP TRIGGER IF EXISTS ${id} ON ${fault.table}`);
    await db.query(`DROP FUNCTION IF EXISTS ${fn}()`);
  };
}

/**
 * A database outage for the test database `name`, seen from its apps: new connections are refused
 * and every existing connection (but the admin one given) is terminated. `end()` lets connections in again.
 */
export async function databaseOutage(admin: Client, name: string): Promise<{ end(): Promise<void> }> {
  await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
  return {
    async end() {
      await admin.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`);
    },
  };
}

import { DataSource, DataSourceOptions, Migration, MixedList, EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';
import { quoteIdent } from './platform-migrations';
import { PlatformTypeOrmLogger } from './typeorm-logger';

/** TypeORM's PostgreSQL options. */
export type PostgresConnectionOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

export interface DataSourceParams {
  url: string;
  /** The service's schema: its tables and its `migrations` table live there. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: MixedList<Function | string>;
  poolSize?: number;
  /** Name shown in pg_stat_activity. */
  applicationName?: string;
  /** Run migrations during initialize() (default true). */
  migrationsRun?: boolean;
  logging?: PostgresConnectionOptions['logging'];
}

/** Options for one service's DataSource: its schema, snake_case names, migrations each in a transaction, never synchronize. */
export function buildDataSourceOptions(p: DataSourceParams): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: p.url,
    schema: p.schema,
    entities: p.entities ?? [],
    migrations: p.migrations ?? [],
    synchronize: false,
    migrationsRun: p.migrationsRun ?? true,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    // Extensions are the migrations' business (PlatformSchema): an app role may not CREATE EXTENSION.
    installExtensions: false,
    namingStrategy: new SnakeNamingStrategy(),
    poolSize: p.poolSize ?? 10,
    applicationName: p.applicationName ?? `homeward-${p.schema}`,
    logging: p.logging ?? ['error', 'warn'],
    // issue 6 item 5: never TypeORM's own loggers, which print the parameters of a failed query
    logger: new PlatformTypeOrmLogger(p.logging ?? ['error', 'warn']),
    extra: { max: p.poolSize ?? 10 },
  };
}

/**
 * A DataSource that creates its schema (under an advisory lock, so replicas and services
 * starting together do not race) before TypeORM creates `<schema>.migrations` and runs
 * the migrations.
 */
export class PlatformDataSource extends DataSource {
  override async runMigrations(options?: { transaction?: 'all' | 'none' | 'each'; fake?: boolean }): Promise<Migration[]> {
    await ensureSchema(this);
    return super.runMigrations(options);
  }
}

/** `CREATE SCHEMA IF NOT EXISTS <schema>` in its own transaction under the platform lock. */
export async function ensureSchema(ds: DataSource): Promise<void> {
  const schema = (ds.options as PostgresConnectionOptions).schema;
  if (!schema) return;
  await ds.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('homeward:platform-migrations'))`);
    await m.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
  });
}

/** A plain (not yet initialized) DataSource for the CLI `migrate` and for tests; `initialize()` runs the migrations. */
export function createDataSource(p: DataSourceParams | DataSourceOptions): PlatformDataSource {
  const options = 'type' in p ? p : buildDataSourceOptions(p);
  return new PlatformDataSource(options);
}

/**
 * Names of the migrations of `ds` that `<schema>.migrations` does not list (all of them when the
 * table is missing). Only reads: the app role may SELECT the table, never write it.
 */
export async function pendingMigrations(ds: DataSource): Promise<string[]> {
  const schema = (ds.options as PostgresConnectionOptions).schema;
  const names = ds.migrations.map((m) => m.name ?? m.constructor.name);
  let done: Array<{ name: string }> = [];
  try {
    done = await ds.query(`SELECT name FROM ${quoteIdent(schema ?? 'public')}.migrations`);
  } catch (e) {
    if ((e as { code?: string }).code !== '42P01') throw e;
  }
  const ran = new Set(done.map((d) => d.name));
  return names.filter((n) => !ran.has(n));
}

/**
 * The rows of an `UPDATE … RETURNING` or `DELETE … RETURNING` run through `manager.query`: TypeORM
 * answers those two commands with `[rows, affectedCount]` (any other statement with the rows), so
 * `(await manager.query('UPDATE … RETURNING id')).length` is always 2 — a count and an audit row that
 * were silently wrong. Pass the raw answer through this.
 */
export function returnedRows<T>(result: unknown): T[] {
  return (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] : result) as T[];
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { PLATFORM_MIGRATION_LOCK, createAuditSchema } from '../audit/audit-sql';

/** The schema of the DataSource running the migration (DatabaseModule sets it per service). */
export function schemaOf(q: QueryRunner): string {
  const schema = (q.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('platform migrations need a DataSource with a schema');
  return schema;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The service's own schema and the pgcrypto extension (both idempotent, under the platform lock). */
export class PlatformSchema1700000000000 implements MigrationInterface {
  name = 'PlatformSchema1700000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${PLATFORM_MIGRATION_LOCK}`);
    await q.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schemaOf(q))}`);
    // gen_random_uuid() is built in since PostgreSQL 13; pgcrypto is a convenience where allowed.
    await q.query(`
      DO $$
      BEGIN
        CREATE EXTENSION IF NOT EXISTS pgcrypto;
      EXCEPTION WHEN insufficient_privilege OR feature_not_supported OR undefined_file THEN
        RAISE NOTICE 'pgcrypto not available; using built-in gen_random_uuid()';
      END
      $$`);
  }

  async down(): Promise<void> {
    // The schema holds the service's data: never dropped by a migration.
  }
}

/** The shared, INSERT-only audit schema (idempotent: every service runs it). */
export class PlatformAudit1700000000001 implements MigrationInterface {
  name = 'PlatformAudit1700000000001';

  async up(q: QueryRunner): Promise<void> {
    await createAuditSchema(q);
  }

  async down(): Promise<void> {
    // Shared by every service and INSERT-only: never dropped.
  }
}

/** Every service lists these FIRST in its migrations: `[...PLATFORM_MIGRATIONS, MyInit123]`. */
export const PLATFORM_MIGRATIONS: ReadonlyArray<new () => MigrationInterface> = Object.freeze([
  PlatformSchema1700000000000,
  PlatformAudit1700000000001,
]);

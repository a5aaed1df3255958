import { MigrationInterface, QueryRunner } from 'typeorm';
import { PLATFORM_MIGRATION_LOCK, appDatabaseRole, createAuditAnchors, createAuditLockChain, createAuditSchema, grantServiceRoles } from '../audit/audit-sql';

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

/** Issue 6 item 3: `audit.anchors` (INSERT-only, read by the auditor role) and `audit.anchor(service)`. */
export class PlatformAuditAnchors1700000000002 implements MigrationInterface {
  name = 'PlatformAuditAnchors1700000000002';

  async up(q: QueryRunner): Promise<void> {
    await createAuditAnchors(q);
  }

  async down(): Promise<void> {
    // INSERT-only evidence: never dropped.
  }
}

/**
 * Issue 6 item 3: the service's login role `hw_<schema>` (its own schema only, INSERT-only on
 * audit) and the auditor role `hw_auditor`. Default privileges cover the tables later migrations
 * of this schema create, as long as the same migrator runs them.
 */
export class PlatformRoles1700000000003 implements MigrationInterface {
  name = 'PlatformRoles1700000000003';

  async up(q: QueryRunner): Promise<void> {
    await grantServiceRoles(q, schemaOf(q));
  }

  async down(): Promise<void> {
    // Roles are cluster-wide and shared by every database: never dropped by a migration.
  }
}

/**
 * "Who read this person?" (the auditor's `auditEvents(personKey)`) also looks in `details.personKeys`,
 * where list and nested reads name their persons (issue 6 item 11): a GIN index serves its `@>`, so
 * the lookup does not read the whole log.
 */
export class PlatformAuditPersonKeys1700000000004 implements MigrationInterface {
  name = 'PlatformAuditPersonKeys1700000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${PLATFORM_MIGRATION_LOCK}`);
    await q.query(`CREATE INDEX IF NOT EXISTS events_details_person_keys_idx ON audit.events USING gin ((details->'personKeys') jsonb_path_ops)`);
  }

  async down(): Promise<void> {
    // Shared by every service: left in place.
  }
}

/**
 * Issue 13: the service's login role plans without JIT compilation. Its list and export queries have
 * large estimated costs, so the planner's JIT (on by default above `jit_above_cost`) compiled them on
 * every call: a town's monthly export took 772 ms with JIT and 32.5 ms without, `dueToday` for the city
 * 4.0 s against 2.6 s (measured by the issue at 300,000 subjects). A role setting, so it holds through
 * a pooler (PgBouncer drops startup options) and for every connection of the app; the migrator (and
 * an analyst's session) keep the server default. A migrator that may not alter the role says so and
 * goes on: the operator sets it (docs/scaling.md).
 */
export class PlatformRoleJitOff1700000000005 implements MigrationInterface {
  name = 'PlatformRoleJitOff1700000000005';

  async up(q: QueryRunner): Promise<void> {
    const role = appDatabaseRole(schemaOf(q));
    await q.query(`
      DO $$
      BEGIN
        ALTER ROLE ${role} SET jit = off;
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot set jit = off for role ${role}: run ALTER ROLE ${role} SET jit = off as an administrator';
      END
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER ROLE ${appDatabaseRole(schemaOf(q))} RESET jit`);
  }
}

/** Issue 13 S2: `audit.lock_chain(chain)` — the chain's lock and its last hash in one round trip (AuditWriter). */
export class PlatformAuditLockChain1700000000006 implements MigrationInterface {
  name = 'PlatformAuditLockChain1700000000006';

  async up(q: QueryRunner): Promise<void> {
    await createAuditLockChain(q);
  }

  async down(): Promise<void> {
    // Shared by every service (and by the writers of the other services): left in place.
  }
}

/** Every service lists these FIRST in its migrations: `[...PLATFORM_MIGRATIONS, MyInit123]`. */
export const PLATFORM_MIGRATIONS: ReadonlyArray<new () => MigrationInterface> = Object.freeze([
  PlatformSchema1700000000000,
  PlatformAudit1700000000001,
  PlatformAuditAnchors1700000000002,
  PlatformRoles1700000000003,
  PlatformAuditPersonKeys1700000000004,
  PlatformRoleJitOff1700000000005,
  PlatformAuditLockChain1700000000006,
]);

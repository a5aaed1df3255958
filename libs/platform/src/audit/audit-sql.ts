import { QueryRunner } from 'typeorm';

/** Advisory-lock key every platform migration takes, so services migrating at once do not race. */
export const PLATFORM_MIGRATION_LOCK = `pg_advisory_xact_lock(hashtext('homeward:platform-migrations'))`;

/**
 * The shared `audit` schema (idempotent): `audit.events` with a hash chain per service,
 * INSERT-only by trigger (UPDATE, DELETE and TRUNCATE raise, even for the owner), role
 * `homeward_app` with INSERT only plus `audit.last_hash(service)` (SECURITY DEFINER) to
 * extend the chain without SELECT on the table.
 */
export async function createAuditSchema(q: QueryRunner): Promise<void> {
  await q.query(`SELECT ${PLATFORM_MIGRATION_LOCK}`);
  await q.query(`CREATE SCHEMA IF NOT EXISTS audit`);
  await q.query(`
    CREATE TABLE IF NOT EXISTS audit.events (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      service varchar(64) NOT NULL,
      actor_id varchar(128) NOT NULL,
      actor_kind varchar(16) NOT NULL CHECK (actor_kind IN ('STAFF', 'PARTNER', 'SYSTEM', 'ANONYMOUS')),
      actor_roles text[] NOT NULL DEFAULT '{}',
      action varchar(128) NOT NULL,
      entity_type varchar(64),
      entity_id varchar(128),
      person_key char(64),
      towns text[] NOT NULL DEFAULT '{}',
      outcome varchar(16) NOT NULL CHECK (outcome IN ('SUCCESS', 'DENIED', 'FAILURE')),
      request_id varchar(128),
      details jsonb NOT NULL DEFAULT '{}'::jsonb,
      prev_hash char(64),
      hash char(64) NOT NULL
    )`);
  await q.query(`CREATE INDEX IF NOT EXISTS events_service_id_idx ON audit.events (service, id)`);
  await q.query(`CREATE INDEX IF NOT EXISTS events_at_idx ON audit.events (at)`);
  await q.query(`CREATE INDEX IF NOT EXISTS events_person_key_idx ON audit.events (person_key) WHERE person_key IS NOT NULL`);
  await q.query(`CREATE INDEX IF NOT EXISTS events_entity_idx ON audit.events (entity_type, entity_id)`);
  await q.query(`CREATE INDEX IF NOT EXISTS events_actor_idx ON audit.events (actor_id, at)`);
  await q.query(`
    CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit.events is insert-only: % refused / 审计日志只允许追加', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$`);
  await q.query(`DROP TRIGGER IF EXISTS events_insert_only ON audit.events`);
  await q.query(`CREATE TRIGGER events_insert_only BEFORE UPDATE OR DELETE ON audit.events
                 FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
  await q.query(`DROP TRIGGER IF EXISTS events_no_truncate ON audit.events`);
  await q.query(`CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON audit.events
                 FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
  await q.query(`
    CREATE OR REPLACE FUNCTION audit.last_hash(p_service text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, audit AS $$
      SELECT hash::text FROM audit.events WHERE service = p_service ORDER BY id DESC LIMIT 1
    $$`);
  // The application role: INSERT only (roles are cluster-wide; another database may create it at the same moment).
  await q.query(`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'homeward_app') THEN
        BEGIN
          CREATE ROLE homeward_app NOLOGIN;
        EXCEPTION
          WHEN duplicate_object OR unique_violation THEN NULL;
          WHEN insufficient_privilege THEN RAISE NOTICE 'cannot create role homeward_app: no CREATEROLE';
        END;
      END IF;
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'homeward_app') THEN
        GRANT USAGE ON SCHEMA audit TO homeward_app;
        REVOKE ALL ON audit.events FROM homeward_app;
        GRANT INSERT ON audit.events TO homeward_app;
        GRANT USAGE ON SEQUENCE audit.events_id_seq TO homeward_app;
        REVOKE ALL ON FUNCTION audit.last_hash(text) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION audit.last_hash(text) TO homeward_app;
      END IF;
    END
    $$`);
}

/** The auditor's login role: reads `audit.events` and `audit.anchors` (audit:verify), writes nothing. */
export const AUDITOR_ROLE = 'hw_auditor';
/** The NOLOGIN group role holding the append-only audit privileges every app role is a member of. */
export const AUDIT_APPEND_ROLE = 'homeward_app';

/** The login role an app connects as: `hw_<schema>` (hw_identity, hw_correction, …). */
export function appDatabaseRole(schema: string): string {
  if (!/^[a-z][a-z0-9_]{0,59}$/.test(schema)) throw new Error(`appDatabaseRole: bad schema name "${schema}"`);
  return `hw_${schema}`;
}

/**
 * SQL creating a login role if it does not exist (roles are cluster-wide and test databases are
 * made in parallel: a concurrent CREATE is tolerated). Without CREATEROLE the migration stops and
 * says which role the operator must create.
 */
export function ensureLoginRoleSql(role: string): string {
  return `
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
        BEGIN
          CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
        EXCEPTION
          WHEN duplicate_object OR unique_violation THEN NULL;
          WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'role ${role} does not exist and the migrator may not create it: CREATE ROLE ${role} LOGIN PASSWORD ... (docs/security.md) / 缺少数据库角色 ${role}';
        END;
      END IF;
    END
    $$`;
}

/**
 * Issue 13 S2: `audit.lock_chain(chain)` takes the chain's advisory lock (the same key the writer
 * took by itself before, `hashtext('audit:' || chain)`) and returns the chain's last hash read after
 * the lock is granted: one round trip where the writer made two. plpgsql and VOLATILE on purpose —
 * its SELECT takes a snapshot of its own after the lock, so it sees the row of the transaction that
 * held the lock before (a single SQL statement reading under its starting snapshot would not).
 */
export async function createAuditLockChain(q: QueryRunner): Promise<void> {
  await q.query(`SELECT ${PLATFORM_MIGRATION_LOCK}`);
  await q.query(`
    CREATE OR REPLACE FUNCTION audit.lock_chain(p_chain text) RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, audit AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtext('audit:' || p_chain));
      RETURN (SELECT e.hash::text FROM audit.events e WHERE e.service = p_chain ORDER BY e.id DESC LIMIT 1);
    END
    $$`);
  await q.query(`REVOKE ALL ON FUNCTION audit.lock_chain(text) FROM PUBLIC`);
  await q.query(`
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AUDIT_APPEND_ROLE}') THEN
        GRANT EXECUTE ON FUNCTION audit.lock_chain(text) TO ${AUDIT_APPEND_ROLE};
      END IF;
    END
    $$`);
}

/**
 * `audit.anchors` (INSERT-only like events; read by the auditor role only) and
 * `audit.anchor(service)`: SECURITY DEFINER, records the head (id, hash) of a service's chain when it
 * moved since the last anchor, and returns it, so an app anchors without reading either table.
 */
export async function createAuditAnchors(q: QueryRunner): Promise<void> {
  await q.query(`SELECT ${PLATFORM_MIGRATION_LOCK}`);
  await q.query(`
    CREATE TABLE IF NOT EXISTS audit.anchors (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      service varchar(64) NOT NULL,
      head_id bigint NOT NULL,
      head_hash char(64) NOT NULL,
      anchored_by name NOT NULL DEFAULT session_user
    )`);
  await q.query(`CREATE INDEX IF NOT EXISTS anchors_service_idx ON audit.anchors (service, head_id)`);
  await q.query(`DROP TRIGGER IF EXISTS anchors_insert_only ON audit.anchors`);
  await q.query(`CREATE TRIGGER anchors_insert_only BEFORE UPDATE OR DELETE ON audit.anchors
                 FOR EACH ROW EXECUTE FUNCTION audit.refuse_change()`);
  await q.query(`DROP TRIGGER IF EXISTS anchors_no_truncate ON audit.anchors`);
  await q.query(`CREATE TRIGGER anchors_no_truncate BEFORE TRUNCATE ON audit.anchors
                 FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change()`);
  await q.query(`
    CREATE OR REPLACE FUNCTION audit.anchor(p_service text)
    RETURNS TABLE (head_id bigint, head_hash text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, audit AS $$
    DECLARE
      v_id bigint;
      v_hash text;
    BEGIN
      SELECT e.id, e.hash::text INTO v_id, v_hash FROM audit.events e WHERE e.service = p_service ORDER BY e.id DESC LIMIT 1;
      IF v_id IS NULL THEN RETURN; END IF;
      IF EXISTS (SELECT 1 FROM audit.anchors a WHERE a.service = p_service AND a.head_id = v_id) THEN RETURN; END IF;
      INSERT INTO audit.anchors (service, head_id, head_hash) VALUES (p_service, v_id, v_hash);
      head_id := v_id;
      head_hash := v_hash;
      RETURN NEXT;
    END
    $$`);
  await q.query(`REVOKE ALL ON FUNCTION audit.anchor(text) FROM PUBLIC`);
  await q.query(`REVOKE ALL ON SCHEMA audit FROM PUBLIC`);
  await q.query(`REVOKE ALL ON audit.events, audit.anchors FROM PUBLIC`);
}

/**
 * The least-privilege roles of one service's database (idempotent, per database; the roles themselves
 * are cluster-wide): the app's login role `hw_<schema>` may use its own schema (DML on its tables and
 * sequences, now and for tables later migrations create, SELECT only on `<schema>.migrations`) and,
 * through `homeward_app`, only INSERT into `audit.events` plus `audit.last_hash()` / `audit.anchor()` (and
 * `audit.lock_chain()`, PlatformAuditLockChain).
 * `hw_auditor` may read `audit.events` and `audit.anchors`. The migrator (who runs this) owns everything.
 */
export async function grantServiceRoles(q: QueryRunner, schema: string): Promise<void> {
  const role = appDatabaseRole(schema);
  const s = `"${schema}"`;
  await q.query(`SELECT ${PLATFORM_MIGRATION_LOCK}`);
  for (const r of [role, AUDITOR_ROLE]) await q.query(ensureLoginRoleSql(r));
  await q.query(`
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${AUDIT_APPEND_ROLE}') THEN
        BEGIN
          CREATE ROLE ${AUDIT_APPEND_ROLE} NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
      END IF;
    END
    $$`);
  // The append-only audit privileges (also granted by PlatformAudit where the role existed then).
  await q.query(`GRANT USAGE ON SCHEMA audit TO ${AUDIT_APPEND_ROLE}`);
  await q.query(`REVOKE ALL ON audit.events, audit.anchors FROM ${AUDIT_APPEND_ROLE}`);
  await q.query(`GRANT INSERT ON audit.events TO ${AUDIT_APPEND_ROLE}`);
  await q.query(`GRANT USAGE ON SEQUENCE audit.events_id_seq TO ${AUDIT_APPEND_ROLE}`);
  await q.query(`REVOKE ALL ON FUNCTION audit.last_hash(text) FROM PUBLIC`);
  await q.query(`GRANT EXECUTE ON FUNCTION audit.last_hash(text), audit.anchor(text) TO ${AUDIT_APPEND_ROLE}`);
  await q.query(`GRANT ${AUDIT_APPEND_ROLE} TO ${role}`);
  // The auditor: reads the log and the anchors, nothing else.
  await q.query(`GRANT USAGE ON SCHEMA audit TO ${AUDITOR_ROLE}`);
  await q.query(`GRANT SELECT ON audit.events, audit.anchors TO ${AUDITOR_ROLE}`);
  // The app's own schema.
  await q.query(`REVOKE ALL ON SCHEMA ${s} FROM PUBLIC`);
  await q.query(`GRANT USAGE ON SCHEMA ${s} TO ${role}`);
  await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${role}`);
  await q.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${s} TO ${role}`);
  await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
  await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${role}`);
  // No role but the migrator creates objects in `public` (the default since PostgreSQL 15; older servers grant it).
  await q.query(`
    DO $$
    BEGIN
      REVOKE CREATE ON SCHEMA public FROM PUBLIC;
    EXCEPTION WHEN insufficient_privilege OR invalid_schema_name THEN
      RAISE NOTICE 'cannot revoke CREATE on schema public: not its owner';
    END
    $$`);
  // Which migrations ran is the migrator's business: the app only checks it at boot.
  await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${s}.migrations FROM ${role}`);
}

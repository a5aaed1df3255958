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

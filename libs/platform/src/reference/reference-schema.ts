import type { QueryRunner } from 'typeorm';
import { AUDIT_APPEND_ROLE, appDatabaseRole } from '../audit/audit-sql';

/**
 * Issue 7 item 10: the `reference` schema (holiday tables, towns, county boundary, correction
 * centres), owned by community-correction, whose migration calls this; other services' tests that
 * need the schema call it too (no app imports another's migration). Idempotent only as a whole
 * migration: run it once per database.
 */
export async function createReferenceSchema(q: QueryRunner): Promise<void> {
  const role = appDatabaseRole('correction');
  await q.query(`CREATE SCHEMA IF NOT EXISTS reference`);
  await q.query(`
    CREATE TABLE reference.holiday_tables (
      id bigserial PRIMARY KEY,
      year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
      status varchar(12) NOT NULL CHECK (status IN ('PROVISIONAL', 'OFFICIAL')),
      holidays jsonb NOT NULL,
      working_weekends jsonb NOT NULL,
      source varchar(300),
      valid_from date NOT NULL,
      valid_to date NOT NULL,
      recorded_at timestamptz(3) NOT NULL,
      recorded_by varchar(120) NOT NULL,
      reason varchar(1000),
      superseded_at timestamptz(3),
      CHECK (valid_from <= valid_to)
    )`);
  await q.query(`CREATE UNIQUE INDEX holiday_tables_current ON reference.holiday_tables (year) WHERE superseded_at IS NULL`);
  await q.query(`
    CREATE TABLE reference.datasets (
      id bigserial PRIMARY KEY,
      kind varchar(30) NOT NULL CHECK (kind IN ('TOWNS', 'CORRECTION_CENTRES', 'COUNTY_BOUNDARY')),
      content jsonb NOT NULL,
      valid_from date NOT NULL,
      valid_to date,
      recorded_at timestamptz(3) NOT NULL,
      recorded_by varchar(120) NOT NULL,
      reason varchar(1000),
      superseded_at timestamptz(3),
      CHECK (valid_to IS NULL OR valid_from <= valid_to)
    )`);
  await q.query(`CREATE UNIQUE INDEX datasets_current ON reference.datasets (kind) WHERE superseded_at IS NULL`);
  await q.query(`REVOKE ALL ON SCHEMA reference FROM PUBLIC`);
  await q.query(`GRANT USAGE ON SCHEMA reference TO ${role}, ${AUDIT_APPEND_ROLE}`);
  await q.query(`GRANT SELECT, INSERT, UPDATE ON reference.holiday_tables, reference.datasets TO ${role}`);
  await q.query(`GRANT USAGE, SELECT ON SEQUENCE reference.holiday_tables_id_seq, reference.datasets_id_seq TO ${role}`);
  await q.query(`GRANT SELECT ON reference.holiday_tables, reference.datasets TO ${AUDIT_APPEND_ROLE}`);
  }

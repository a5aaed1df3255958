import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-12 electronic location (approvals, extensions, location fixes) and CC-13 leave / change of residence. */
export class CorrectionMonitoring1795824000000 implements MigrationInterface {
  name = 'CorrectionMonitoring1795824000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.monitorings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        ground varchar(40) NOT NULL CHECK (ground IN ('PROHIBITION_ORDER_BREACH', 'LEFT_COUNTY_WITHOUT_APPROVAL',
          'REFUSED_REPORT_AFTER_WARNING', 'PUBLIC_SECURITY_PENALTY', 'REVOCATION_PROPOSAL_PENDING')),
        device_id varchar(64) NOT NULL,
        approved_by varchar(100) NOT NULL,
        approval_document_no varchar(120),
        recorded_by varchar(120) NOT NULL,
        start_date date NOT NULL,
        end_date date NOT NULL CHECK (end_date >= start_date),
        starts_at timestamptz(3) NOT NULL,
        ends_at timestamptz(3) NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('ACTIVE', 'ENDED')),
        ended_on date,
        end_reason varchar(500),
        last_fix_at timestamptz(3),
        silent_since timestamptz(3),
        breach_since timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    // One device is worn by one subject at a time; one electronic location per subject at a time.
    await q.query(`CREATE UNIQUE INDEX monitorings_active_device ON correction.monitorings (device_id) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE UNIQUE INDEX monitorings_active_subject ON correction.monitorings (subject_id) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX monitorings_town_created_idx ON correction.monitorings (town, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE correction.monitoring_extensions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        monitoring_id uuid NOT NULL REFERENCES correction.monitorings (id),
        previous_end_date date NOT NULL,
        end_date date NOT NULL CHECK (end_date > previous_end_date),
        approved_by varchar(100) NOT NULL,
        reason varchar(1000) NOT NULL,
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX monitoring_extensions_monitoring_idx ON correction.monitoring_extensions (monitoring_id, created_at)`);
    // Built for volume: append-only, no foreign keys, a BRIN index on time (fixes arrive roughly in time
    // order, so the block ranges stay tight) and a b-tree for one subject's track.
    await q.query(`
      CREATE TABLE correction.location_fixes (
        id bigint GENERATED ALWAYS AS IDENTITY,
        monitoring_id uuid NOT NULL,
        subject_id uuid NOT NULL,
        device_id varchar(64) NOT NULL,
        at timestamptz(3) NOT NULL,
        lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
        accuracy_m real,
        outside boolean NOT NULL,
        received_at timestamptz(3) NOT NULL
      ) WITH (fillfactor = 100)`);
    await q.query(`CREATE INDEX location_fixes_at_brin ON correction.location_fixes USING brin (at) WITH (pages_per_range = 32)`);
    await q.query(`CREATE INDEX location_fixes_subject_at_idx ON correction.location_fixes (subject_id, at DESC)`);
    await q.query(`
      CREATE TABLE correction.leaves (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('LEAVE', 'RESIDENCE_CHANGE')),
        destination varchar(300) NOT NULL,
        reason varchar(1000) NOT NULL,
        start_date date NOT NULL,
        end_date date NOT NULL CHECK (end_date >= start_date),
        travel_area polygon,
        approval_level varchar(20) NOT NULL CHECK (approval_level IN ('JUSTICE_OFFICE', 'COUNTY_BUREAU')),
        status varchar(12) NOT NULL CHECK (status IN ('REQUESTED', 'APPROVED', 'REJECTED', 'RETURNED')),
        requested_by varchar(120) NOT NULL,
        decided_by varchar(120),
        decided_at timestamptz(3),
        decision_note varchar(1000),
        returned_on date,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX leaves_town_created_idx ON correction.leaves (town, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX leaves_subject_status_idx ON correction.leaves (subject_id, status)`);
    // CC-12 "RED for key persons": whether a subject is a key person on a date (CC-10, the latest
    // determination of the town). PL/pgSQL plans lazily, so this works before the key-person tables exist.
    await q.query(`
      CREATE OR REPLACE FUNCTION correction.is_key_person(p_subject uuid, p_on date) RETURNS boolean
      LANGUAGE plpgsql STABLE AS $fn$
      BEGIN
        IF to_regclass('correction.key_person_entries') IS NULL OR to_regclass('correction.key_person_determinations') IS NULL THEN
          RETURN false;
        END IF;
        RETURN EXISTS (
          SELECT 1
          FROM correction.key_person_entries e
          JOIN correction.key_person_determinations d ON d.id = e.determination_id
          WHERE e.subject_id = p_subject AND NOT e.released
            AND d.id = (SELECT d2.id FROM correction.key_person_determinations d2
                        WHERE d2.town = d.town AND d2.month <= to_char(p_on, 'YYYY-MM')
                        ORDER BY d2.month DESC, d2.version DESC LIMIT 1));
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION correction.is_key_person(uuid, date)`);
    await q.query(`DROP TABLE correction.leaves`);
    await q.query(`DROP TABLE correction.location_fixes`);
    await q.query(`DROP TABLE correction.monitoring_extensions`);
    await q.query(`DROP TABLE correction.monitorings`);
  }
}

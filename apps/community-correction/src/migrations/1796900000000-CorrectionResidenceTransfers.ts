import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CC-13 change of residence moves the case (issue 7 item 9): where a residence change goes (a town,
 * or a county outside Jiangyin), the transfer it schedules, the TRANSFERRED_OUT status, and team
 * members that end (the old town's team ends at the transfer).
 */
export class CorrectionResidenceTransfers1796900000000 implements MigrationInterface {
  name = 'CorrectionResidenceTransfers1796900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE correction.subjects DROP CONSTRAINT subjects_status_check`);
    await q.query(`ALTER TABLE correction.subjects ADD CONSTRAINT subjects_status_check
                   CHECK (status IN ('PENDING_REPORT', 'ACTIVE', 'DISCHARGED', 'TERMINATED', 'TRANSFERRED_OUT'))`);
    await q.query(`ALTER TABLE correction.subjects DROP CONSTRAINT subjects_end_reason_check`);
    await q.query(`ALTER TABLE correction.subjects ADD CONSTRAINT subjects_end_reason_check
                   CHECK (end_reason IN ('EXPIRED', 'PARDONED', 'REVOKED', 'COMMITTED', 'DECEASED', 'TRANSFERRED_OUT'))`);
    await q.query(`ALTER TABLE correction.subjects DROP CONSTRAINT subjects_end_consistent`);
    await q.query(`ALTER TABLE correction.subjects ADD CONSTRAINT subjects_end_consistent
                   CHECK ((status IN ('DISCHARGED', 'TERMINATED', 'TRANSFERRED_OUT')) = (ended_on IS NOT NULL AND end_reason IS NOT NULL))`);
    await q.query(`ALTER TABLE correction.leaves
                     ADD COLUMN to_town varchar(8),
                     ADD COLUMN receiving_county_code varchar(6),
                     ADD COLUMN receiving_authority varchar(200),
                     ADD CONSTRAINT leaves_residence_target CHECK (
                       (kind = 'LEAVE' AND to_town IS NULL AND receiving_county_code IS NULL)
                       OR (kind = 'RESIDENCE_CHANGE' AND (to_town IS NULL OR receiving_county_code IS NULL)))`);
    await q.query(`
      CREATE TABLE correction.residence_transfers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        leave_id uuid NOT NULL UNIQUE REFERENCES correction.leaves (id),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        from_town varchar(8) NOT NULL,
        to_town varchar(8),
        receiving_county_code varchar(6),
        receiving_authority varchar(200),
        effective_date date NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('PENDING', 'APPLIED', 'CANCELLED')),
        approved_by varchar(120) NOT NULL,
        applied_at timestamptz(3),
        handover jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((to_town IS NULL) <> (receiving_county_code IS NULL)),
        CHECK ((status = 'APPLIED') = (applied_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX residence_transfers_due_idx ON correction.residence_transfers (effective_date) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX residence_transfers_subject_idx ON correction.residence_transfers (subject_id, effective_date)`);
    await q.query(`ALTER TABLE correction.team_members ADD COLUMN ended_on date`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE correction.team_members DROP COLUMN ended_on`);
    await q.query(`DROP TABLE correction.residence_transfers`);
    await q.query(`ALTER TABLE correction.leaves DROP CONSTRAINT leaves_residence_target, DROP COLUMN receiving_authority, DROP COLUMN receiving_county_code, DROP COLUMN to_town`);
    await q.query(`ALTER TABLE correction.subjects DROP CONSTRAINT subjects_end_consistent`);
    await q.query(`ALTER TABLE correction.subjects ADD CONSTRAINT subjects_end_consistent
                   CHECK ((status IN ('DISCHARGED', 'TERMINATED')) = (ended_on IS NOT NULL AND end_reason IS NOT NULL))`);
    await q.query(`ALTER TABLE correction.subjects DROP CONSTRAINT subjects_end_reason_check`);
    await q.query(`ALTER TABLE correction.subjects ADD CONSTRAINT subjects_end_reason_check
                   CHECK (end_reason IN ('EXPIRED', 'PARDONED', 'REVOKED', 'COMMITTED', 'DECEASED'))`);
    await q.query(`ALTER TABLE correction.subjects DROP CONSTRAINT subjects_status_check`);
    await q.query(`ALTER TABLE correction.subjects ADD CONSTRAINT subjects_status_check CHECK (status IN ('PENDING_REPORT', 'ACTIVE', 'DISCHARGED', 'TERMINATED'))`);
  }
}

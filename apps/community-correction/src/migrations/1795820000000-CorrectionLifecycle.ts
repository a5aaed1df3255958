import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-2…CC-7, CC-15: lifecycle columns, intake checklist, absconding, documents, exit control, plans and teams. */
export class CorrectionLifecycle1795820000000 implements MigrationInterface {
  name = 'CorrectionLifecycle1795820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE correction.subjects
        ADD COLUMN report_days_late integer CHECK (report_days_late >= 0),
        ADD COLUMN activated_on date,
        ADD COLUMN ended_on date,
        ADD COLUMN end_reason varchar(20)
          CHECK (end_reason IN ('EXPIRED', 'PARDONED', 'REVOKED', 'COMMITTED', 'DECEASED')),
        ADD COLUMN lost_contact_on date`);
    // CC-2: an ended subject has an end date and reason; ABSCONDED is a flag on an ACTIVE subject only.
    await q.query(`ALTER TABLE correction.subjects ADD CONSTRAINT subjects_end_consistent
                   CHECK ((status IN ('DISCHARGED', 'TERMINATED')) = (ended_on IS NOT NULL AND end_reason IS NOT NULL))`);
    await q.query(`ALTER TABLE correction.subjects ADD CONSTRAINT subjects_absconded_only_active
                   CHECK (lost_contact_on IS NULL OR status = 'ACTIVE')`);
    await q.query(`ALTER TABLE correction.subjects ADD CONSTRAINT subjects_active_has_activation
                   CHECK (status NOT IN ('ACTIVE', 'DISCHARGED') OR activated_on IS NOT NULL)`);

    // CC-5: intake checklist, one row per item done.
    await q.query(`
      CREATE TABLE correction.intake_items (
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        item varchar(30) NOT NULL
          CHECK (item IN ('DOCUMENTS_CHECKED', 'IDENTITY_VERIFIED', 'REGISTERED', 'ARCHIVE_OPENED', 'ANNOUNCEMENT_MADE')),
        done_on date NOT NULL,
        done_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (subject_id, item)
      )`);

    // CC-2: each period of lost contact (history; the open one mirrors subjects.lost_contact_on).
    await q.query(`
      CREATE TABLE correction.absconding_episodes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        lost_contact_on date NOT NULL,
        found_on date CHECK (found_on IS NULL OR found_on >= lost_contact_on),
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX absconding_one_open_per_subject ON correction.absconding_episodes (subject_id)
                   WHERE found_on IS NULL`);

    // CC-3 / CC-19: documents of a case.
    await q.query(`
      CREATE TABLE correction.subject_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        document_type varchar(40) NOT NULL,
        document_no varchar(120) NOT NULL,
        issued_date date NOT NULL,
        delivered_by varchar(120) NOT NULL,
        delivered_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (subject_id, document_type, document_no)
      )`);
    await q.query(`CREATE INDEX subject_documents_subject_idx ON correction.subject_documents (subject_id)`);

    // CC-15: exit control reports (出境报备), withdrawn when correction ends.
    await q.query(`
      CREATE TABLE correction.exit_controls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        reported_at timestamptz(3) NOT NULL,
        withdrawn_at timestamptz(3),
        withdrawal_reason varchar(20)
      )`);
    await q.query(`CREATE UNIQUE INDEX exit_controls_one_open_per_subject ON correction.exit_controls (subject_id)
                   WHERE withdrawn_at IS NULL`);
    await q.query(`CREATE INDEX exit_controls_open_idx ON correction.exit_controls (reported_at) WHERE withdrawn_at IS NULL`);

    // CC-7: correction plan (one current plan per subject) and team.
    await q.query(`
      CREATE TABLE correction.plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL UNIQUE REFERENCES correction.subjects (id),
        content text NOT NULL,
        approved boolean NOT NULL DEFAULT false,
        approved_by varchar(120),
        approved_on date,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (approved = (approved_on IS NOT NULL AND approved_by IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE correction.team_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        role varchar(30) NOT NULL CHECK (role IN ('JUSTICE_OFFICE_STAFF', 'VILLAGE_COMMITTEE', 'GRID_WORKER', 'FAMILY',
          'EMPLOYER_OR_SCHOOL', 'SOCIAL_WORKER', 'VOLUNTEER', 'LEGAL_SERVICE_WORKER')),
        member_name varchar(100) NOT NULL,
        gender varchar(8) NOT NULL CHECK (gender IN ('MALE', 'FEMALE')),
        versed_in_minors boolean NOT NULL DEFAULT false,
        phone varchar(40),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX team_members_subject_idx ON correction.team_members (subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.team_members`);
    await q.query(`DROP TABLE correction.plans`);
    await q.query(`DROP TABLE correction.exit_controls`);
    await q.query(`DROP TABLE correction.subject_documents`);
    await q.query(`DROP TABLE correction.absconding_episodes`);
    await q.query(`DROP TABLE correction.intake_items`);
    await q.query(`ALTER TABLE correction.subjects DROP CONSTRAINT subjects_active_has_activation,
                   DROP CONSTRAINT subjects_absconded_only_active, DROP CONSTRAINT subjects_end_consistent,
                   DROP COLUMN lost_contact_on, DROP COLUMN end_reason, DROP COLUMN ended_on, DROP COLUMN activated_on,
                   DROP COLUMN report_days_late`);
  }
}

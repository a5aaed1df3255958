import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-17 restorative justice cases, CC-18 assistance needs and disputes, CC-19 archive documents. */
export class CorrectionRestorativeAssistanceArchives1795826000000 implements MigrationInterface {
  name = 'CorrectionRestorativeAssistanceArchives1795826000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.restorative_cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        status varchar(24) NOT NULL CHECK (status IN ('OPENED', 'SUITABLE', 'VICTIM_AGREED', 'PLANNED', 'IN_SERVICE', 'EVALUATED', 'CLOSED_UNSUITABLE', 'CLOSED_VICTIM_DECLINED')),
        harm_description varchar(2000) NOT NULL,
        opened_on date NOT NULL,
        assessment_note varchar(2000),
        assessed_on date,
        assessed_by varchar(120),
        victim_note varchar(2000),
        victim_decided_on date,
        plan text,
        planned_on date,
        service_started_on date,
        service_hours numeric(8, 2) NOT NULL DEFAULT 0,
        quality varchar(12) CHECK (quality IN ('EXCELLENT', 'GOOD', 'PASS', 'FAIL')),
        evaluation_note varchar(2000),
        evaluated_on date,
        evaluated_by varchar(120),
        excellent boolean NOT NULL DEFAULT false,
        excellent_on date,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (NOT excellent OR (status = 'EVALUATED' AND quality = 'EXCELLENT' AND excellent_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX restorative_cases_town_created_idx ON correction.restorative_cases (town, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX restorative_cases_subject_idx ON correction.restorative_cases (subject_id)`);
    await q.query(`CREATE INDEX restorative_cases_excellent_idx ON correction.restorative_cases (excellent_on) WHERE excellent`);
    await q.query(`
      CREATE TABLE correction.restorative_service_logs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES correction.restorative_cases (id),
        service_date date NOT NULL,
        hours numeric(6, 2) NOT NULL CHECK (hours > 0),
        note varchar(1000) NOT NULL,
        supervised_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX restorative_service_logs_case_idx ON correction.restorative_service_logs (case_id, service_date)`);
    await q.query(`
      CREATE TABLE correction.assistance_needs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        kind varchar(30) NOT NULL CHECK (kind IN ('SKILLS_TRAINING', 'JOB_REFERRAL', 'MINIMUM_LIVING_ALLOWANCE', 'TEMPORARY_RELIEF', 'MINOR_CHILDREN_CARE')),
        description varchar(2000) NOT NULL,
        recorded_on date NOT NULL,
        recorded_by varchar(120) NOT NULL,
        status varchar(8) NOT NULL CHECK (status IN ('OPEN', 'MET')),
        given_on date,
        given_by varchar(120),
        given_note varchar(2000),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'MET') = (given_on IS NOT NULL)),
        CHECK (given_on IS NULL OR given_on >= recorded_on)
      )`);
    await q.query(`CREATE INDEX assistance_needs_town_created_idx ON correction.assistance_needs (town, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX assistance_needs_town_period_idx ON correction.assistance_needs (town, recorded_on, given_on)`);
    await q.query(`CREATE INDEX assistance_needs_subject_idx ON correction.assistance_needs (subject_id)`);
    await q.query(`
      CREATE TABLE correction.disputes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        description varchar(2000) NOT NULL,
        found_on date NOT NULL,
        found_by varchar(120) NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('OPEN', 'RESOLVED')),
        resolved_on date,
        resolution varchar(2000),
        resolved_by varchar(120),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'RESOLVED') = (resolved_on IS NOT NULL)),
        CHECK (resolved_on IS NULL OR resolved_on >= found_on)
      )`);
    await q.query(`CREATE INDEX disputes_town_created_idx ON correction.disputes (town, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX disputes_subject_idx ON correction.disputes (subject_id)`);
    await q.query(`
      CREATE TABLE correction.archive_documents (
        id uuid PRIMARY KEY,
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        archive_kind varchar(12) NOT NULL CHECK (archive_kind IN ('ENFORCEMENT', 'WORK', 'ELECTRONIC')),
        document_type varchar(40) NOT NULL,
        title varchar(200) NOT NULL,
        storage_key varchar(300) NOT NULL UNIQUE,
        content_type varchar(120) NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes >= 0),
        sha256 char(64) NOT NULL,
        uploaded_by varchar(120) NOT NULL,
        uploaded_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX archive_documents_subject_idx ON correction.archive_documents (subject_id, document_type)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.archive_documents`);
    await q.query(`DROP TABLE correction.disputes`);
    await q.query(`DROP TABLE correction.assistance_needs`);
    await q.query(`DROP TABLE correction.restorative_service_logs`);
    await q.query(`DROP TABLE correction.restorative_cases`);
  }
}

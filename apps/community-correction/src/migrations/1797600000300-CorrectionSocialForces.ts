import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CC-22 social forces (issue 12 item 4): volunteers (the "五老" and ordinary volunteers) with their
 * trainings, yearly assessments (one per year) and the subjects they serve (history kept); social
 * organisations (of a town, or city-wide: town NULL) with their staff, government-purchased
 * correction projects and the outputs recorded against them. Names, phones and free text are
 * `*_cipher` columns (FieldCipher). The app role's DML comes from the schema's default privileges
 * (grantServiceRoles).
 */
export class CorrectionSocialForces1797600000300 implements MigrationInterface {
  name = 'CorrectionSocialForces1797600000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.volunteers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        name_cipher text NOT NULL,
        phone_cipher text,
        kind varchar(20) NOT NULL CHECK (kind IN ('RETIRED_CADRE', 'RETIRED_TEACHER', 'VETERAN', 'RETIRED_EXPERT', 'MODEL', 'ORDINARY')),
        recruited_on date NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('ACTIVE', 'WITHDRAWN')),
        withdrawn_on date,
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'WITHDRAWN') = (withdrawn_on IS NOT NULL)),
        CHECK (withdrawn_on IS NULL OR withdrawn_on >= recruited_on)
      )`);
    await q.query(`CREATE INDEX volunteers_town_created_idx ON correction.volunteers (town, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE correction.volunteer_trainings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL REFERENCES correction.volunteers (id),
        town varchar(8) NOT NULL,
        trained_on date NOT NULL,
        topic varchar(200) NOT NULL,
        hours numeric(5, 2) NOT NULL CHECK (hours > 0),
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX volunteer_trainings_volunteer_idx ON correction.volunteer_trainings (volunteer_id, trained_on)`);
    await q.query(`
      CREATE TABLE correction.volunteer_assessments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL REFERENCES correction.volunteers (id),
        town varchar(8) NOT NULL,
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        grade varchar(12) NOT NULL CHECK (grade IN ('EXCELLENT', 'COMPETENT', 'BASIC', 'INCOMPETENT')),
        note varchar(1000) NOT NULL DEFAULT '',
        assessed_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (volunteer_id, year)
      )`);
    await q.query(`
      CREATE TABLE correction.volunteer_subjects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        volunteer_id uuid NOT NULL REFERENCES correction.volunteers (id),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        from_date date NOT NULL,
        to_date date,
        recorded_by varchar(120) NOT NULL,
        ended_by varchar(120),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (to_date IS NULL OR to_date >= from_date)
      )`);
    await q.query(`CREATE INDEX volunteer_subjects_volunteer_idx ON correction.volunteer_subjects (volunteer_id, from_date)`);
    await q.query(`CREATE INDEX volunteer_subjects_subject_idx ON correction.volunteer_subjects (subject_id)`);
    await q.query(`CREATE UNIQUE INDEX volunteer_subjects_open_idx ON correction.volunteer_subjects (volunteer_id, subject_id) WHERE to_date IS NULL`);
    await q.query(`
      CREATE TABLE correction.social_organisations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8),
        name varchar(200) NOT NULL,
        registration_no varchar(60) NOT NULL UNIQUE,
        status varchar(10) NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE')),
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX social_organisations_town_created_idx ON correction.social_organisations (town, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE correction.social_organisation_staff (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES correction.social_organisations (id),
        name_cipher text NOT NULL,
        role varchar(60) NOT NULL,
        joined_on date NOT NULL,
        left_on date,
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (left_on IS NULL OR left_on >= joined_on)
      )`);
    await q.query(`CREATE INDEX social_organisation_staff_org_idx ON correction.social_organisation_staff (organisation_id)`);
    await q.query(`
      CREATE TABLE correction.correction_projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES correction.social_organisations (id),
        town varchar(8),
        title varchar(200) NOT NULL,
        contract_amount numeric(14, 2) NOT NULL CHECK (contract_amount >= 0),
        start_date date NOT NULL,
        end_date date NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('IN_PROGRESS', 'COMPLETED', 'TERMINATED')),
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (end_date >= start_date)
      )`);
    await q.query(`CREATE INDEX correction_projects_org_idx ON correction.correction_projects (organisation_id, start_date)`);
    await q.query(`
      CREATE TABLE correction.correction_project_outputs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        project_id uuid NOT NULL REFERENCES correction.correction_projects (id),
        output_on date NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('CASE_COUNSELLING', 'GROUP_ACTIVITY', 'LECTURE', 'OTHER')),
        description_cipher text NOT NULL,
        subjects_served integer NOT NULL CHECK (subjects_served >= 0),
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX correction_project_outputs_project_idx ON correction.correction_project_outputs (project_id, output_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.correction_project_outputs`);
    await q.query(`DROP TABLE correction.correction_projects`);
    await q.query(`DROP TABLE correction.social_organisation_staff`);
    await q.query(`DROP TABLE correction.social_organisations`);
    await q.query(`DROP TABLE correction.volunteer_subjects`);
    await q.query(`DROP TABLE correction.volunteer_assessments`);
    await q.query(`DROP TABLE correction.volunteer_trainings`);
    await q.query(`DROP TABLE correction.volunteers`);
  }
}

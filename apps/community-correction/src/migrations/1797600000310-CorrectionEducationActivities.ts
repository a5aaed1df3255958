import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CC-26 intensive training (短期集训) and the education activities (文化活动, 读书活动, 案例汇编)
 * (issue 12 item 5): sessions of a town and the subjects who attended; each attendance logged the
 * session's hours as EDUCATION in `correction.activity_hours` (CC-9), kept by id. A reading
 * activity's reflection is person free text: `reflection_cipher`.
 */
export class CorrectionEducationActivities1797600000310 implements MigrationInterface {
  name = 'CorrectionEducationActivities1797600000310';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.education_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('INTENSIVE_TRAINING', 'CULTURE', 'READING', 'CASE_COLLECTION')),
        title varchar(200) NOT NULL,
        held_on date NOT NULL,
        place varchar(200) NOT NULL,
        hours numeric(5, 2) NOT NULL CHECK (hours > 0),
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX education_sessions_town_created_idx ON correction.education_sessions (town, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE correction.education_attendances (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES correction.education_sessions (id),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        reflection_cipher text,
        activity_hours_id uuid NOT NULL REFERENCES correction.activity_hours (id),
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (session_id, subject_id)
      )`);
    await q.query(`CREATE INDEX education_attendances_subject_idx ON correction.education_attendances (subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.education_attendances`);
    await q.query(`DROP TABLE correction.education_sessions`);
  }
}

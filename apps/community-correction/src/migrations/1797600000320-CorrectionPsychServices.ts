import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CC-27 psychological services (issue 12 item 5): records per subject by a registered social
 * organisation (CC-22), with a crisis flag; notes and the crisis note are `*_cipher` (FieldCipher).
 */
export class CorrectionPsychServices1797600000320 implements MigrationInterface {
  name = 'CorrectionPsychServices1797600000320';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.psych_service_records (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        kind varchar(24) NOT NULL CHECK (kind IN ('EDUCATION', 'COUNSELLING', 'CRISIS_INTERVENTION')),
        served_on date NOT NULL,
        provider_id uuid NOT NULL REFERENCES correction.social_organisations (id),
        notes_cipher text NOT NULL,
        crisis boolean NOT NULL DEFAULT false,
        crisis_flagged_on date,
        crisis_flagged_by varchar(120),
        crisis_cleared_on date,
        crisis_cleared_by varchar(120),
        crisis_note_cipher text,
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (NOT crisis OR crisis_flagged_on IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX psych_service_records_town_created_idx ON correction.psych_service_records (town, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX psych_service_records_subject_idx ON correction.psych_service_records (subject_id, served_on)`);
    await q.query(`CREATE INDEX psych_service_records_crisis_idx ON correction.psych_service_records (town) WHERE crisis`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.psych_service_records`);
  }
}

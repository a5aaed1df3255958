import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-29 / K-DQ1: corrections of entered records (准确率 = records never corrected after entry). */
export class CorrectionDataCorrections1796700100000 implements MigrationInterface {
  name = 'CorrectionDataCorrections1796700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.data_corrections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        record_type varchar(24) NOT NULL,
        record_id uuid NOT NULL,
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        town varchar(8) NOT NULL,
        corrected_on date NOT NULL,
        fields text[] NOT NULL CHECK (cardinality(fields) > 0),
        reason_cipher text NOT NULL,
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX data_corrections_record_idx ON correction.data_corrections (record_type, record_id)`);
    await q.query(`CREATE INDEX data_corrections_town_idx ON correction.data_corrections (town, corrected_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.data_corrections`);
  }
}

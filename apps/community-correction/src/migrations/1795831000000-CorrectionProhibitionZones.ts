import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-12: zones a prohibition order (禁止令) forbids, per subject; a location fix inside one is a breach. */
export class CorrectionProhibitionZones1795831000000 implements MigrationInterface {
  name = 'CorrectionProhibitionZones1795831000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.prohibition_zones (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        town varchar(8) NOT NULL,
        place varchar(200) NOT NULL,
        area polygon NOT NULL,
        start_date date NOT NULL,
        end_date date,
        recorded_by varchar(120) NOT NULL,
        ended_by varchar(120),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (end_date IS NULL OR end_date >= start_date)
      )`);
    await q.query(`CREATE INDEX prohibition_zones_subject_idx ON correction.prohibition_zones (subject_id, start_date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.prohibition_zones`);
  }
}

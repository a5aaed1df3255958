import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 7 item 7 (K-CC5): re-offences reported by police, as resettlement publishes them
 * (`resettlement.reoffence.reported`), kept by person key so correction counts a subject who
 * re-offended while under correction.
 */
export class CorrectionReoffences1797000500000 implements MigrationInterface {
  name = 'CorrectionReoffences1797000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.reoffences (
        report_id uuid PRIMARY KEY,
        person_key char(64) NOT NULL,
        offence_date date NOT NULL,
        received_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX reoffences_person_key_idx ON correction.reoffences (person_key, offence_date)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.reoffences`);
  }
}

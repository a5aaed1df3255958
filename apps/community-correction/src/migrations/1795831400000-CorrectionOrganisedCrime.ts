import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-25: the organised-crime (涉黑涉恶) flag of a subject. */
export class CorrectionOrganisedCrime1795831400000 implements MigrationInterface {
  name = 'CorrectionOrganisedCrime1795831400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE correction.subjects ADD COLUMN organised_crime boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE correction.subjects DROP COLUMN organised_crime`);
  }
}

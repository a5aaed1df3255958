import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-2 / K-CC5: a termination records whether it was for a new offence (re-offending). */
export class CorrectionTerminationNewOffence1795831100000 implements MigrationInterface {
  name = 'CorrectionTerminationNewOffence1795831100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE correction.subjects ADD COLUMN ended_for_new_offence boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE correction.subjects DROP COLUMN ended_for_new_offence`);
  }
}

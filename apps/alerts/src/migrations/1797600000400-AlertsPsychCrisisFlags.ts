import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * CC-27: alerts keeps the latest crisis flag it heard of each psychological service record (from
 * `correction.psych-service.crisis-flag`), with the record's version, so an older event delivered
 * late (retries and concurrency reorder, libs/bus README) neither raises nor settles anything.
 */
export class AlertsPsychCrisisFlags1797600000400 implements MigrationInterface {
  name = 'AlertsPsychCrisisFlags1797600000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts.psych_crisis_flags (
        record_id uuid PRIMARY KEY,
        flagged boolean NOT NULL,
        flag_version integer NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts.psych_crisis_flags`);
  }
}

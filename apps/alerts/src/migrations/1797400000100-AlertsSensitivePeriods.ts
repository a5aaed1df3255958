import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11 item 2: AL-4 the calendar of sensitive periods (重点时期; towns null = every town) and the
 * key-person flag of a person as alerts last heard it (from the events that carry `keyPerson`).
 */
export class AlertsSensitivePeriods1797400000100 implements MigrationInterface {
  name = 'AlertsSensitivePeriods1797400000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts.sensitive_periods (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(120) NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        towns varchar(8)[],
        created_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL,
        CHECK (ends_on >= starts_on)
      )`);
    await q.query(`CREATE INDEX sensitive_periods_days_idx ON alerts.sensitive_periods (starts_on, ends_on)`);
    await q.query(`ALTER TABLE alerts.person_flags ALTER COLUMN organised_crime SET DEFAULT false, ADD COLUMN key_person boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts.person_flags DROP COLUMN key_person, ALTER COLUMN organised_crime DROP DEFAULT`);
    await q.query(`DROP TABLE alerts.sensitive_periods`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11 item 2 (AL-4 daily check-in): the correction subjects under a check-in obligation, as alerts
 * heard them from correction's level and check-in events (subject id, person key, town; `active` false
 * once the case was discharged, terminated or handed out of Jiangyin). During a sensitive period the
 * key persons among them must check in daily.
 */
export class AlertsDailyCheckIns1797500000400 implements MigrationInterface {
  name = 'AlertsDailyCheckIns1797500000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts.checkin_subjects (
        subject_id varchar(64) PRIMARY KEY,
        person_key varchar(64) NOT NULL,
        town varchar(8) NOT NULL,
        active boolean NOT NULL DEFAULT true,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX checkin_subjects_town_idx ON alerts.checkin_subjects (town) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts.checkin_subjects`);
  }
}

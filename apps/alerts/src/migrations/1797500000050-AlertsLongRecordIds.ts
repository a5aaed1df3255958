import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AL-7: an operations alert's record id is `<service>:<event id>:<handler>`; with a long handler name
 * (`community-correction:<uuid>:ReoffenceEventsHandler.onReported` is 91 characters) it did not fit
 * varchar(80), the insert failed, and the dead letter never became an alert. 200 is room enough.
 */
export class AlertsLongRecordIds1797500000050 implements MigrationInterface {
  name = 'AlertsLongRecordIds1797500000050';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts.alerts ALTER COLUMN record_id TYPE varchar(200)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts.alerts ALTER COLUMN record_id TYPE varchar(80)`);
  }
}

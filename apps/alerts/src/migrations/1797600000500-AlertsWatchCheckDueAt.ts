import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: a watch's delayed check is added to Redis only when it comes within
 * ALERT_JOB_HORIZON_HOURS. `check_due_at` is the due time whose check job was written to the outbox
 * (null: none yet), so the periodic refill adds each check once, not again every period. Existing
 * watches start null: the first refill writes the checks due within the horizon again (the relay's add
 * with the same job id is a no-op while BullMQ holds the job). The app role's rights on the table cover
 * the new column (table-level grants, `grantServiceRoles`).
 */
export class AlertsWatchCheckDueAt1797600000500 implements MigrationInterface {
  name = 'AlertsWatchCheckDueAt1797600000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts.watches ADD COLUMN check_due_at timestamptz(3) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts.watches DROP COLUMN check_due_at`);
  }
}

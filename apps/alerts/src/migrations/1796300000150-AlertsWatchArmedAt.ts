import { MigrationInterface, QueryRunner } from 'typeorm';

/** Issue 8 item 4: one conflict rule for alerts.watches — an arming never yields to an older one. */
export class AlertsWatchArmedAt1796300000150 implements MigrationInterface {
  name = 'AlertsWatchArmedAt1796300000150';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts.watches ADD COLUMN armed_at timestamptz(3) NULL`);
    // The check-in watches kept the arming event's time in details; the others were armed at creation.
    await q.query(`UPDATE alerts.watches SET armed_at = coalesce((details->>'occurredAt')::timestamptz, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alerts.watches DROP COLUMN armed_at`);
  }
}

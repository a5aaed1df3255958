import { MigrationInterface, QueryRunner } from 'typeorm';
import { addScheduledJobColumns, dropScheduledJobColumns } from '@homeward/bus';

/** Issue 8 item 5: delayed jobs go through the outbox (relayed to BullMQ after commit). */
export class AlertsOutboxJobs1796300000100 implements MigrationInterface {
  name = 'AlertsOutboxJobs1796300000100';

  async up(q: QueryRunner): Promise<void> {
    await addScheduledJobColumns(q, 'alerts');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropScheduledJobColumns(q, 'alerts');
  }
}

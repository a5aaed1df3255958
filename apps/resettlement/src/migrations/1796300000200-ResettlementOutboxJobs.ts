import { MigrationInterface, QueryRunner } from 'typeorm';
import { addScheduledJobColumns, dropScheduledJobColumns } from '@homeward/bus';

/** Issue 8 item 5: delayed jobs go through the outbox (relayed to BullMQ after commit). */
export class ResettlementOutboxJobs1796300000200 implements MigrationInterface {
  name = 'ResettlementOutboxJobs1796300000200';

  async up(q: QueryRunner): Promise<void> {
    await addScheduledJobColumns(q, 'resettlement');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropScheduledJobColumns(q, 'resettlement');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { addScheduledJobColumns, dropScheduledJobColumns } from '@homeward/bus';

/** Issue 8 item 5: delayed jobs go through the outbox (relayed to BullMQ after commit). */
export class AftercareOutboxJobs1796300000300 implements MigrationInterface {
  name = 'AftercareOutboxJobs1796300000300';

  async up(q: QueryRunner): Promise<void> {
    await addScheduledJobColumns(q, 'aftercare');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropScheduledJobColumns(q, 'aftercare');
  }
}

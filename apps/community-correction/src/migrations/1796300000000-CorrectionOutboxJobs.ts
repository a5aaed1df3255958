import { MigrationInterface, QueryRunner } from 'typeorm';
import { addScheduledJobColumns, dropScheduledJobColumns } from '@homeward/bus';

/** Issue 8 item 5: delayed jobs go through the outbox (relayed to BullMQ after commit). */
export class CorrectionOutboxJobs1796300000000 implements MigrationInterface {
  name = 'CorrectionOutboxJobs1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await addScheduledJobColumns(q, 'correction');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropScheduledJobColumns(q, 'correction');
  }
}

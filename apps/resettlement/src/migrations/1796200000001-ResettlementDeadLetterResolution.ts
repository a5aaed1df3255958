import { MigrationInterface, QueryRunner } from 'typeorm';
import { addDeadLetterResolution, dropDeadLetterResolution } from '@homeward/bus';

/** Issue 14 item 6: dead letters get a resolved state (resolved_at, resolved_by, resolved_how REPLAYED | DISCARDED). */
export class ResettlementDeadLetterResolution1796200000001 implements MigrationInterface {
  name = 'ResettlementDeadLetterResolution1796200000001';

  async up(q: QueryRunner): Promise<void> {
    await addDeadLetterResolution(q, 'resettlement');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropDeadLetterResolution(q, 'resettlement');
  }
}

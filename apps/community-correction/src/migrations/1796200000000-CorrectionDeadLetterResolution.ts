import { MigrationInterface, QueryRunner } from 'typeorm';
import { addDeadLetterResolution, dropDeadLetterResolution } from '@homeward/bus';

/** Issue 14 item 6: dead letters get a resolved state (resolved_at, resolved_by, resolved_how REPLAYED | DISCARDED). */
export class CorrectionDeadLetterResolution1796200000000 implements MigrationInterface {
  name = 'CorrectionDeadLetterResolution1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await addDeadLetterResolution(q, 'correction');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropDeadLetterResolution(q, 'correction');
  }
}

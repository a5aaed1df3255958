import { MigrationInterface, QueryRunner } from 'typeorm';
import { addDeadLetterResolution, dropDeadLetterResolution } from '@homeward/bus';

/** Issue 14 item 6: dead letters get a resolved state (resolved_at, resolved_by, resolved_how REPLAYED | DISCARDED). */
export class AftercareDeadLetterResolution1796200000002 implements MigrationInterface {
  name = 'AftercareDeadLetterResolution1796200000002';

  async up(q: QueryRunner): Promise<void> {
    await addDeadLetterResolution(q, 'aftercare');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropDeadLetterResolution(q, 'aftercare');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { addDeadLetterResolution, dropDeadLetterResolution } from '@homeward/bus';

/** Issue 14 item 6: dead letters get a resolved state (resolved_at, resolved_by, resolved_how REPLAYED | DISCARDED). */
export class AlertsDeadLetterResolution1796200000003 implements MigrationInterface {
  name = 'AlertsDeadLetterResolution1796200000003';

  async up(q: QueryRunner): Promise<void> {
    await addDeadLetterResolution(q, 'alerts');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropDeadLetterResolution(q, 'alerts');
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { appDatabaseRole } from '@homeward/platform';

/**
 * Issue 6 item 3: identity serves the auditor's list (`auditEvents`), so its login role may also
 * SELECT `audit.events` (still no UPDATE/DELETE, and not `audit.anchors`: only the auditor role reads those).
 */
export class IdentityAuditReader1796123428147 implements MigrationInterface {
  name = 'IdentityAuditReader1796123428147';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`GRANT SELECT ON audit.events TO ${appDatabaseRole('identity')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE SELECT ON audit.events FROM ${appDatabaseRole('identity')}`);
  }
}

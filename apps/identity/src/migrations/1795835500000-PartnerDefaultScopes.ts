import { MigrationInterface, QueryRunner } from 'typeorm';
import { AgencyKind, defaultPartnerScopes } from '@homeward/domain';

/**
 * Issue 6 item 15: partner routes now check scopes. Clients created before with no scope get every
 * scope of their agency kind (what a new client gets by default), so they keep working.
 */
export class PartnerDefaultScopes1795835500000 implements MigrationInterface {
  name = 'PartnerDefaultScopes1795835500000';

  async up(q: QueryRunner): Promise<void> {
    for (const kind of Object.values(AgencyKind)) {
      await q.query(`UPDATE identity.partner_clients SET scopes = $1::text[] WHERE agency_kind = $2 AND scopes = '{}'::text[]`, [
        defaultPartnerScopes(kind),
        kind,
      ]);
    }
  }

  async down(): Promise<void> {
    // Scopes given to old clients are kept: removing them would lock the clients out.
  }
}

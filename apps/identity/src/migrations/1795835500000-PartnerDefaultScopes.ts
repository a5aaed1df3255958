import { MigrationInterface, QueryRunner } from 'typeorm';

/** The scopes of each agency kind as of this migration (libs/domain partner-scope.ts); frozen here on purpose. */
const SCOPES_BY_KIND: Record<string, string[]> = {
  COURT: ['correction.investigations', 'correction.enrolments'],
  PROCURATORATE: ['correction.investigations', 'correction.procuratorate-notices'],
  POLICE: ['correction.investigations', 'correction.enrolments', 'correction.exit-control', 'resettlement.reoffence-reports', 'aftercare.drug-test-results'],
  PRISON: ['correction.investigations', 'correction.enrolments', 'resettlement.pre-release-notices', 'resettlement.releases', 'resettlement.video-visits'],
  REHAB_CENTRE: ['aftercare.release-notices'],
  MONITORING_PLATFORM: ['correction.location-fixes'],
};

/**
 * Issue 6 item 15: partner routes now check scopes. Clients created before with no scope get every
 * scope of their agency kind (what a new client gets by default), so they keep working.
 */
export class PartnerDefaultScopes1795835500000 implements MigrationInterface {
  name = 'PartnerDefaultScopes1795835500000';

  async up(q: QueryRunner): Promise<void> {
    for (const [kind, scopes] of Object.entries(SCOPES_BY_KIND)) {
      await q.query(`UPDATE identity.partner_clients SET scopes = $1::text[] WHERE agency_kind = $2 AND scopes = '{}'::text[]`, [scopes, kind]);
    }
  }

  async down(): Promise<void> {
    // Scopes given to old clients are kept: removing them would lock the clients out.
  }
}

import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { IdentityInit1795818561542 } from './1795818561542-IdentityInit';
import { PartnerDefaultScopes1795835500000 } from './1795835500000-PartnerDefaultScopes';
import { IdentityAuditReader1796123428147 } from './1796123428147-IdentityAuditReader';
import { PartnerSecretRotationEnrolments1796123503934 } from './1796123503934-PartnerSecretRotationEnrolments';
import { IdentityAppAccounts1797600000250 } from './1797600000250-IdentityAppAccounts';

export const SCHEMA = 'identity';
/** Platform migrations first (schema, pgcrypto, audit), then identity's own, in order. */
export const MIGRATIONS = [
  ...PLATFORM_MIGRATIONS,
  IdentityInit1795818561542,
  PartnerDefaultScopes1795835500000,
  IdentityAuditReader1796123428147,
  PartnerSecretRotationEnrolments1796123503934,
  IdentityAppAccounts1797600000250,
];

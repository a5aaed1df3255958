import { PLATFORM_MIGRATIONS } from '@homeward/platform';
import { IdentityInit1795818561542 } from './1795818561542-IdentityInit';
import { PartnerSecretRotationEnrolments1796123503934 } from './1796123503934-PartnerSecretRotationEnrolments';

export const SCHEMA = 'identity';
/** Platform migrations first (schema, pgcrypto, audit), then identity's own, in order. */
export const MIGRATIONS = [...PLATFORM_MIGRATIONS, IdentityInit1795818561542, PartnerSecretRotationEnrolments1796123503934];

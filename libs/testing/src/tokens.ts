import { AgencyKind, Role } from '@homeward/domain';
import type { Principal } from '@homeward/platform';
import { TestKeys, partnerPrincipal, staffPrincipal } from '@homeward/platform/testing';

const YEAR = 3600 * 24 * 365;

/**
 * The cast most tests of a service need (issue 8 item 3), as tokens valid for a year from
 * `clock.now()` when called, so a test that moves its clock keeps them valid: courts, a procuratorate,
 * the monitoring platform, the county bureau (CITY_ADMIN, every town), town officers of 104 and 107, a
 * social worker of 104 (with the principal, whose `sub` an assignment names). `mint` makes others alike.
 */
export function testCast(keys: TestKeys, clock: { now(): Date }) {
  const mint = (p: Principal) => keys.mint(p, { expiresInSeconds: YEAR, now: clock.now() });
  const worker104Principal = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'], username: 'worker' });
  return {
    mint,
    court: mint(partnerPrincipal(AgencyKind.COURT)),
    otherCourt: mint(partnerPrincipal(AgencyKind.COURT, { agencyId: 'another-court' })),
    procuratorate: mint(partnerPrincipal(AgencyKind.PROCURATORATE)),
    platform: mint(partnerPrincipal(AgencyKind.MONITORING_PLATFORM)),
    bureau: mint(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'], username: 'bureau' })),
    officer104: mint(staffPrincipal({ towns: ['104'] })),
    officer107: mint(staffPrincipal({ towns: ['107'] })),
    worker104Principal,
    worker104: mint(worker104Principal),
  };
}

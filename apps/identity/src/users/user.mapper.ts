import { findTown, TOWNS } from '@homeward/domain';
import type { Town } from '@homeward/platform';
import type { Clock } from '@homeward/platform';
import { ALL_TOWNS } from './account-rules';
import type { StaffUserType } from './dto/user.types';
import type { User } from './user.entity';

/** Town codes (or '*') → GraphQL towns; '*' expands to every town. */
export function townsOf(codes: readonly string[]): Town[] {
  if (codes.includes(ALL_TOWNS)) return TOWNS.filter((t) => !t.validTo).map((t) => ({ code: t.code, name: t.name }));
  return codes.map((code) => ({ code, name: findTown(code)?.name ?? code }));
}

export function toStaffUser(user: User, clock: Clock): StaffUserType {
  const locked = user.lockedUntil !== null && user.lockedUntil.getTime() > clock.now().getTime();
  return {
    id: user.id,
    username: user.username,
    roles: user.roles,
    towns: townsOf(user.towns),
    active: user.active,
    locked,
    lockedUntil: locked ? user.lockedUntil : null,
    failedAttempts: user.failedAttempts,
    totpEnrolled: user.totpSecretCipher !== null,
    createdAt: user.createdAt,
  };
}

import { Role } from '@homeward/domain';

/**
 * The role sets that guard staff operations (`@Roles(...STAFF_READERS)`), in one place so every
 * service grants the same thing under the same name.
 */

/** Roles that see whole towns (jurisdiction.ts: CITY_ADMIN every town, TOWN_OFFICER its towns). */
export const TOWN_WIDE_ROLES: readonly Role[] = Object.freeze([Role.CITY_ADMIN, Role.TOWN_OFFICER]);

/** Roles that see only their assigned persons of their towns (jurisdiction.ts). */
export const CASELOAD_ROLES: readonly Role[] = Object.freeze([Role.SOCIAL_WORKER]);

/** Staff who read a case in their towns (a SOCIAL_WORKER only its assigned persons). */
export const STAFF_READERS: readonly Role[] = Object.freeze([...TOWN_WIDE_ROLES, ...CASELOAD_ROLES]);

/** Staff who change a case, handle an alert, or read a whole town's figures: the city and the town offices. */
export const STAFF_WRITERS: readonly Role[] = TOWN_WIDE_ROLES;

/** Who may see a clear ID number (audited): the city and the town offices. */
export const UNMASK_ROLES: readonly Role[] = STAFF_WRITERS;

/** Who reads the K-CC indicators and monthly statistics: the city and the town offices (their towns). */
export const INDICATOR_READERS: readonly Role[] = STAFF_WRITERS;

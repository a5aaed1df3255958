import { DomainError, DomainErrorCode, Role } from '@homeward/domain';
import { isKnownTownCode } from '@homeward/platform';

/** Minimum password length (issue 2 item 5). */
export const PASSWORD_MIN_LENGTH = 10;
/** Upper bound so a hash request cannot be used to burn CPU. */
export const PASSWORD_MAX_LENGTH = 128;
/** How many of the four character classes a password must use. */
export const PASSWORD_MIN_CLASSES = 3;

/** Roles that must be the only role of their account (separation of duties, docs/architecture.md). */
export const EXCLUSIVE_ROLES: readonly Role[] = [Role.AUDITOR, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN];

/** Roles a staff account may hold; PARTNER is carried by partner clients only. */
export const STAFF_ROLES: readonly Role[] = Object.values(Role).filter((r) => r !== Role.PARTNER && r !== Role.SUBJECT && r !== Role.TEAM_MEMBER);

/**
 * Issue 12 item 1: the roles of the subject's app (在矫通) and the team's app (协矫通). Their accounts are
 * opened by the town office with a one-time activation code (community-correction), never created by an
 * administrator; they log in only from the device bound at activation.
 */
export const APP_ROLES: readonly Role[] = [Role.SUBJECT, Role.TEAM_MEMBER];

export function isAppAccount(roles: readonly Role[]): boolean {
  return roles.some((r) => APP_ROLES.includes(r));
}

/** Roles that work inside towns and so need at least one town. */
export const TOWN_BOUND_ROLES: readonly Role[] = [Role.TOWN_OFFICER];

/** The towns value that means "every town" (CITY_ADMIN), as in the token's `towns` claim. */
export const ALL_TOWNS = '*';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,63}$/;

/** Lower-cases and trims a username; usernames are unique case-insensitively. */
export function normaliseUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** The four character classes of the password policy that a password uses. */
export function passwordClasses(password: string): number {
  let n = 0;
  if (/[a-z]/.test(password)) n++;
  if (/[A-Z]/.test(password)) n++;
  if (/[0-9]/.test(password)) n++;
  if (/[^A-Za-z0-9]/.test(password)) n++;
  return n;
}

/**
 * Password policy: at least 10 characters using at least 3 of the 4 classes
 * (lower case, upper case, digits, other). Returns the problems, empty when it passes.
 */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    problems.push(`password must have at least ${PASSWORD_MIN_LENGTH} characters / 密码至少 ${PASSWORD_MIN_LENGTH} 位`);
  }
  if ([...password].length > PASSWORD_MAX_LENGTH) {
    problems.push(`password must have at most ${PASSWORD_MAX_LENGTH} characters / 密码最多 ${PASSWORD_MAX_LENGTH} 位`);
  }
  if (passwordClasses(password) < PASSWORD_MIN_CLASSES) {
    problems.push(
      'password must use at least 3 of: lower case, upper case, digits, symbols / 密码须包含小写字母、大写字母、数字、符号中的至少三类',
    );
  }
  return problems;
}

export function assertPasswordPolicy(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length > 0) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, problems.join('; '), {
      field: 'password',
      details: { problems },
    });
  }
}

export function assertUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      'username must be 3-64 characters of a-z, 0-9, ".", "_", "-", starting with a letter or digit / 用户名格式不正确',
      { field: 'username' },
    );
  }
}

export interface AccountAccess {
  roles: Role[];
  /** Town codes, or ['*'] for every town (CITY_ADMIN). */
  towns: string[];
}

/**
 * Checks and normalises the roles and towns of a staff account:
 * - at least one role, each a staff role (not PARTNER), no duplicates;
 * - AUDITOR, SECURITY_ADMIN and SYSTEM_ADMIN are the only role of their account (separation of duties);
 * - every town is a known town code; TOWN_OFFICER needs at least one;
 * - CITY_ADMIN implies every town (stored as ['*']);
 * - accounts holding only an exclusive role see no town data, so they take no towns.
 */
export function normaliseAccess(rolesIn: readonly string[], townsIn: readonly string[]): AccountAccess {
  const roles = [...new Set(rolesIn.map((r) => r.trim().toUpperCase()))] as Role[];
  if (roles.length === 0) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'at least one role is required / 至少需要一个角色', {
      field: 'roles',
    });
  }
  for (const role of roles) {
    if (APP_ROLES.includes(role)) {
      throw new DomainError(
        DomainErrorCode.VALIDATION_FAILED,
        `${role} accounts are opened by the town office with an activation code, not created here / 在矫通、协矫通账号由司法所以激活码开通`,
        { field: 'roles', details: { role } },
      );
    }
    if (!STAFF_ROLES.includes(role)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `unknown or non-staff role ${role} / 无效角色`, {
        field: 'roles',
        details: { role },
      });
    }
  }
  const exclusive = roles.filter((r) => EXCLUSIVE_ROLES.includes(r));
  if (exclusive.length > 0 && roles.length > 1) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      `${exclusive.join(', ')} must be the only role of its account (separation of duties) / 审计、安全管理、系统管理角色须使用独立账号`,
      { field: 'roles', details: { roles } },
    );
  }

  const towns = [...new Set(townsIn.map((t) => t.trim()).filter((t) => t.length > 0))];
  for (const town of towns) {
    if (town !== ALL_TOWNS && !isKnownTownCode(town)) {
      throw new DomainError(DomainErrorCode.TOWN_UNKNOWN, `unknown town code ${town} / 未知镇街代码`, {
        field: 'towns',
        details: { town },
      });
    }
  }
  if (roles.includes(Role.CITY_ADMIN)) {
    return { roles, towns: [ALL_TOWNS] };
  }
  if (towns.includes(ALL_TOWNS)) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'only CITY_ADMIN covers every town / 仅市级管理员可覆盖全部镇街', {
      field: 'towns',
    });
  }
  if (exclusive.length > 0) {
    if (towns.length > 0) {
      throw new DomainError(
        DomainErrorCode.VALIDATION_FAILED,
        `${exclusive[0]} accounts have no town jurisdiction / 该角色不分配镇街`,
        { field: 'towns' },
      );
    }
    return { roles, towns: [] };
  }
  if (roles.some((r) => TOWN_BOUND_ROLES.includes(r)) && towns.length === 0) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'TOWN_OFFICER needs at least one town / 镇街工作人员至少分配一个镇街', {
      field: 'towns',
    });
  }
  return { roles, towns: towns.sort() };
}


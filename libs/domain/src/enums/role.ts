/** Roles (docs/architecture.md "Identity and access"). */
export enum Role {
  CITY_ADMIN = 'CITY_ADMIN',
  TOWN_OFFICER = 'TOWN_OFFICER',
  SOCIAL_WORKER = 'SOCIAL_WORKER',
  AUDITOR = 'AUDITOR',
  SECURITY_ADMIN = 'SECURITY_ADMIN',
  SYSTEM_ADMIN = 'SYSTEM_ADMIN',
  PARTNER = 'PARTNER',
  SUBJECT = 'SUBJECT',
  TEAM_MEMBER = 'TEAM_MEMBER',
}

export const ROLE_LABELS: Record<Role, string> = {
  [Role.CITY_ADMIN]: '市局管理员',
  [Role.TOWN_OFFICER]: '司法所工作人员',
  [Role.SOCIAL_WORKER]: '社会工作者',
  [Role.AUDITOR]: '审计员',
  [Role.SECURITY_ADMIN]: '安全管理员',
  [Role.SYSTEM_ADMIN]: '系统管理员',
  [Role.PARTNER]: '协作单位',
  [Role.SUBJECT]: '矫正对象本人',
  [Role.TEAM_MEMBER]: '矫正小组成员',
};

/** Roles that must log in with a TOTP second factor. */
export const ROLES_REQUIRING_TOTP: readonly Role[] = Object.freeze([
  Role.CITY_ADMIN,
  Role.SECURITY_ADMIN,
  Role.SYSTEM_ADMIN,
  Role.AUDITOR,
]);

export function requiresTotp(roles: readonly Role[]): boolean {
  return roles.some((r) => ROLES_REQUIRING_TOTP.includes(r));
}

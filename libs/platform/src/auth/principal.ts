import { AgencyKind, Role } from '@homeward/domain';

/** What a verified access token carries (docs/internals.md "Principal"). */
export interface Principal {
  /** User id or partner client id. */
  sub: string;
  kind: 'STAFF' | 'PARTNER';
  username?: string;
  roles: Role[];
  /** Town codes; CITY_ADMIN → all towns ('*'). */
  towns: string[];
  /** PARTNER only. */
  agencyKind?: AgencyKind;
  /** PARTNER only. */
  agencyId?: string;
  scopes?: string[];
  /** Session id (staff), for the idle timeout. */
  sid?: string;
  /**
   * Never a token claim: the personKeys a caseload-bound principal (SOCIAL_WORKER) is actively
   * assigned to, loaded once per request by the AuthGuard from the service's CaseloadSource.
   * Absent → no person (see jurisdiction.ts).
   */
  caseload?: readonly string[];
}

/** JWT claims as identity mints them. */
export interface AccessTokenClaims {
  sub: string;
  kind: 'STAFF' | 'PARTNER';
  usr?: string;
  roles: string[];
  towns: string[];
  agk?: string;
  agi?: string;
  scp?: string[];
  sid?: string;
}

export const JWT_ISSUER = 'homeward-identity';
export const JWT_AUDIENCE = 'homeward';

const ROLES = new Set<string>(Object.values(Role));
const AGENCY_KINDS = new Set<string>(Object.values(AgencyKind));

/** Claims → Principal. @throws Error naming the bad claim (the guard answers 401). */
export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const { sub, kind, usr, roles, towns, agk, agi, scp, sid } = claims;
  if (typeof sub !== 'string' || sub === '') throw new Error('claim sub missing');
  if (kind !== 'STAFF' && kind !== 'PARTNER') throw new Error('claim kind must be STAFF or PARTNER');
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string' && ROLES.has(r))) throw new Error('claim roles invalid');
  const townList = towns === undefined ? [] : towns;
  if (!Array.isArray(townList) || !townList.every((t) => typeof t === 'string')) throw new Error('claim towns invalid');
  const p: Principal = { sub, kind, roles: roles as Role[], towns: townList as string[] };
  if (typeof usr === 'string') p.username = usr;
  if (typeof sid === 'string') p.sid = sid;
  if (Array.isArray(scp)) p.scopes = scp.filter((s): s is string => typeof s === 'string');
  if (kind === 'PARTNER') {
    if (typeof agk !== 'string' || !AGENCY_KINDS.has(agk)) throw new Error('claim agk invalid for a partner token');
    p.agencyKind = agk as AgencyKind;
    if (typeof agi === 'string') p.agencyId = agi;
  }
  return p;
}

/** Principal → claims (what identity signs; TestKeys uses it too). */
export function claimsFromPrincipal(p: Principal): AccessTokenClaims {
  const c: AccessTokenClaims = { sub: p.sub, kind: p.kind, roles: [...p.roles], towns: [...p.towns] };
  if (p.username !== undefined) c.usr = p.username;
  if (p.agencyKind !== undefined) c.agk = p.agencyKind;
  if (p.agencyId !== undefined) c.agi = p.agencyId;
  if (p.scopes !== undefined) c.scp = [...p.scopes];
  if (p.sid !== undefined) c.sid = p.sid;
  return c;
}

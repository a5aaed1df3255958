import { DomainError, DomainErrorCode, Role, TOWNS } from '@homeward/domain';
import { Principal } from './principal';
import { CASELOAD_ROLES, TOWN_WIDE_ROLES } from './role-sets';

/**
 * Who may see which person (docs/architecture.md "Identity and access", issue 6 items 7 and 15):
 * - CITY_ADMIN: every town. It is the only role a towns claim of '*' means anything for; any other
 *   principal whose towns hold '*' gets no town at all.
 * - TOWN_OFFICER: every person of its towns.
 * - SOCIAL_WORKER (without a town-wide role): only the persons of its towns it is actively assigned
 *   to (`Principal.caseload`, filled per request from the service's CaseloadSource); no whole-town
 *   reads, so `townFilter` / `canSeeTown` give it nothing and person reads go through
 *   `personScope` / `canSeePerson`.
 * - Everyone else (TEAM_MEMBER, SUBJECT, AUDITOR, SECURITY_ADMIN, SYSTEM_ADMIN, partners): no town;
 *   partners reach their own records by agency ownership (partner-agency.ts).
 */

/** True when the principal reads only its assigned persons (a SOCIAL_WORKER without a town-wide role). */
export function isCaseloadBound(p: Principal): boolean {
  return p.roles.some((r) => CASELOAD_ROLES.includes(r)) && !p.roles.some((r) => TOWN_WIDE_ROLES.includes(r));
}

/** The towns a principal's role reaches: '*' for CITY_ADMIN only, else its town codes (none for roles without town access). */
export function townsOf(p: Principal): '*' | string[] {
  if (p.roles.includes(Role.CITY_ADMIN)) return '*';
  if (p.towns.includes('*')) return [];
  if (!p.roles.some((r) => TOWN_WIDE_ROLES.includes(r) || CASELOAD_ROLES.includes(r))) return [];
  return [...new Set(p.towns)];
}

function reachableTowns(p: Principal, requested?: string | null): string[] {
  const towns = townsOf(p);
  if (towns === '*') return requested ? [requested] : TOWNS.map((t) => t.code);
  if (requested) return towns.includes(requested) ? [requested] : [];
  return towns;
}

/** Whole-town visibility: false for a caseload-bound principal (it sees persons, not towns). */
export function canSeeTown(p: Principal, town: string | null | undefined): boolean {
  if (!town || isCaseloadBound(p)) return false;
  const towns = townsOf(p);
  return towns === '*' || towns.includes(town);
}

/**
 * Throws DomainError NOT_FOUND (never FORBIDDEN) when `town` is outside the principal's
 * jurisdiction: a town officer asking for another town's record learns nothing about it.
 */
export function assertTownVisible(p: Principal, town: string | null | undefined, what = 'record'): void {
  if (!canSeeTown(p, town)) throw new DomainError(DomainErrorCode.NOT_FOUND, `${what} not found / 未找到该记录`);
}

/**
 * Towns to filter a whole-town query by: the intersection of the principal's towns and `requested`
 * (when given). An empty list means "nothing": the caller must return no rows. A caseload-bound
 * principal gets [] here: queries over persons use `personScope` instead.
 */
export function townFilter(p: Principal, requested?: string | null): string[] {
  if (isCaseloadBound(p)) return [];
  return reachableTowns(p, requested);
}

/**
 * What a principal may see of persons: `towns` (empty → nothing) and, when not null, only these
 * personKeys inside them (a social worker's active assignments).
 */
export interface PersonScope {
  towns: string[];
  personKeys: readonly string[] | null;
}

export function personScope(p: Principal, requested?: string | null): PersonScope {
  if (!isCaseloadBound(p)) return { towns: reachableTowns(p, requested), personKeys: null };
  const personKeys = [...new Set(p.caseload ?? [])];
  return { towns: personKeys.length > 0 ? reachableTowns(p, requested) : [], personKeys };
}

/** True when the scope can match no row at all (the caller returns an empty answer without a query). */
export function isEmptyScope(scope: PersonScope): boolean {
  return scope.towns.length === 0 || (scope.personKeys !== null && scope.personKeys.length === 0);
}

/** One record of a person: in the caller's towns and, for a social worker, assigned to it. */
export function canSeePerson(p: Principal, town: string | null | undefined, personKey: string | null | undefined): boolean {
  if (!town) return false;
  const scope = personScope(p, town);
  if (isEmptyScope(scope)) return false;
  return scope.personKeys === null || (!!personKey && scope.personKeys.includes(personKey));
}

/** Throws NOT_FOUND unless `canSeePerson`. */
export function assertPersonVisible(p: Principal, town: string | null | undefined, personKey: string | null | undefined, what = 'record'): void {
  if (!canSeePerson(p, town, personKey)) throw new DomainError(DomainErrorCode.NOT_FOUND, `${what} not found / 未找到该记录`);
}

/** Minimal query-builder surface `whereInScope` needs (TypeORM's SelectQueryBuilder fits). */
interface WhereBuilder {
  andWhere(where: string, parameters?: Record<string, unknown>): unknown;
}

let scopeParam = 0;

/**
 * Adds the scope to a query: `<alias>.<town> IN (…)` and, for a social worker,
 * `<alias>.<personKey> IN (…)`. Returns false (and adds nothing) when nothing can match — the
 * caller then answers empty without querying. Column names are entity property names.
 */
export function whereInScope(
  qb: WhereBuilder,
  alias: string,
  scope: PersonScope,
  columns: { town?: string; personKey?: string } = {},
): boolean {
  if (isEmptyScope(scope)) return false;
  const n = (scopeParam = (scopeParam + 1) % 1_000_000);
  qb.andWhere(`${alias}.${columns.town ?? 'town'} IN (:...scopeTowns${n})`, { [`scopeTowns${n}`]: scope.towns });
  if (scope.personKeys !== null) {
    qb.andWhere(`${alias}.${columns.personKey ?? 'personKey'} IN (:...scopeKeys${n})`, { [`scopeKeys${n}`]: [...scope.personKeys] });
  }
  return true;
}

import { DomainError, DomainErrorCode, Role, TOWNS } from '@homeward/domain';
import { Principal } from './principal';

/** The towns a principal may see: '*' for CITY_ADMIN (or a '*' towns claim), else its town codes. */
export function townsOf(p: Principal): '*' | string[] {
  if (p.roles.includes(Role.CITY_ADMIN) || p.towns.includes('*')) return '*';
  return [...new Set(p.towns)];
}

export function canSeeTown(p: Principal, town: string | null | undefined): boolean {
  if (!town) return false;
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
 * Towns to filter a query by: the intersection of the principal's towns and `requested`
 * (when given). An empty list means "nothing": the caller must return no rows.
 */
export function townFilter(p: Principal, requested?: string | null): string[] {
  const towns = townsOf(p);
  if (towns === '*') return requested ? [requested] : TOWNS.map((t) => t.code);
  if (requested) return towns.includes(requested) ? [requested] : [];
  return towns;
}

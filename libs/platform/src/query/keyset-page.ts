import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor } from './cursor';

/** One keyset page over (createdAt, id), newest first. */
export interface Page<T> {
  items: T[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

/** The page of a caller who sees no town (or of any query that has nothing to look at). */
export const EMPTY_PAGE: Page<never> = Object.freeze({ items: Object.freeze([]) as unknown as never[], totalCount: 0, endCursor: null, hasNextPage: false });

export interface KeysetPageOptions {
  /** Requested page size; clamped to 1..max. */
  first: number;
  /** Opaque cursor from a previous page's endCursor (a bad one is VALIDATION_FAILED). */
  after?: string | null;
  /** Largest page served; 100 unless the caller allows more. */
  max?: number;
  /**
   * Whether to count the filter's rows (default true). A list whose caller did not ask for
   * `totalCount` passes false (issue 13 S5: a first page must not cost a count of the whole town or
   * city); totalCount is then -1 and must not be shown.
   */
  count?: boolean;
}

/**
 * Runs a keyset page over `qb` (already filtered by the caller's towns and its own where-clauses):
 * totalCount of the filter, then rows strictly before `after` in (createdAt DESC, id DESC),
 * fetching one extra row to know whether another page follows. Mutates `qb` (cursor, order, take).
 */
export async function keysetPage<T extends ObjectLiteral & { id: string; createdAt: Date }>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  { first, after, max = 100, count = true }: KeysetPageOptions,
): Promise<Page<T>> {
  const size = Math.min(Math.max(first, 1), max);
  const totalCount = count ? await qb.clone().getCount() : -1;
  if (after) {
    const c = decodeCursor(after);
    qb.andWhere(`(${alias}.createdAt, ${alias}.id) < (:at, :id)`, { at: c.at, id: c.id });
  }
  const rows = await qb.orderBy(`${alias}.createdAt`, 'DESC').addOrderBy(`${alias}.id`, 'DESC').take(size + 1).getMany();
  const items = rows.slice(0, size);
  const last = items[items.length - 1];
  return { items, totalCount, endCursor: last ? encodeCursor(last) : null, hasNextPage: rows.length > size };
}

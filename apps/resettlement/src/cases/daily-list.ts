import { DataSource, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { DomainError, DomainErrorCode } from '@homeward/domain';
import { AuditWriter, EMPTY_PAGE, Page, Principal, isUuid, townFilter } from '@homeward/platform';

/** A daily list's paging and town filter, as the GraphQL args give them. */
export interface TownListRequest {
  town?: string | null;
  first: number;
  after?: string | null;
}

/** A page of a daily list, with the cursor of each row (its sort key and id). */
export type DailyPage<T> = Page<T> & { cursorOf: (row: T) => string };

/** What a town office's daily list needs: the rows' town, person and sort key. */
export interface DailyListOptions<T extends ObjectLiteral> {
  entity: EntityTarget<T>;
  entityType: string;
  /** The audit action of the list read (`resettlement.x.list`). */
  action: string;
  /** The column (property name) the list is ordered by, soonest first; ties by id. */
  orderBy: keyof T & string;
  /** The caller's town filter (null: all the caller's towns). */
  town?: string | null;
  first: number;
  after?: string | null;
  /** The list's own conditions on alias `r`. */
  where: (qb: SelectQueryBuilder<T>) => void;
  details?: Record<string, unknown>;
}

const encode = (value: unknown, id: string) =>
  Buffer.from(JSON.stringify({ v: value instanceof Date ? value.toISOString() : String(value), id })).toString('base64url');

function decode(cursor: string): { v: string; id: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v: string; id: string };
    if (typeof c.v === 'string' && isUuid(c.id)) return c;
  } catch {
    /* reported below */
  }
  throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'invalid cursor / 分页游标无效', { field: 'after' });
}

/**
 * A town office's daily list (RS-2, RS-5, RS-7, RS-10): rows of the caller's towns only (whole-town
 * staff; a social worker's caseload is not a town's to-do list), soonest first, keyset-paged over
 * (orderBy, id), audited as one list read naming the persons it showed.
 */
export async function dailyList<T extends ObjectLiteral & { id: string; town: string | null; personKey?: string | null }>(
  dataSource: DataSource,
  audit: AuditWriter,
  caller: Principal,
  o: DailyListOptions<T>,
): Promise<DailyPage<T>> {
  const cursorOf = (row: T) => encode(row[o.orderBy], row.id);
  const towns = townFilter(caller, o.town ?? null);
  if (towns.length === 0) return { ...(EMPTY_PAGE as Page<T>), cursorOf };
  const qb = dataSource.getRepository(o.entity).createQueryBuilder('r').where('r.town IN (:...towns)', { towns });
  o.where(qb);
  const totalCount = await qb.clone().getCount();
  if (o.after) {
    const c = decode(o.after);
    qb.andWhere(`(r.${o.orderBy}, r.id) > (:cv, :cid)`, { cv: c.v, cid: c.id });
  }
  const size = Math.min(Math.max(o.first, 1), 100);
  const rows = await qb.orderBy(`r.${o.orderBy}`, 'ASC').addOrderBy('r.id', 'ASC').take(size + 1).getMany();
  const items = rows.slice(0, size);
  await audit.record({
    actor: caller,
    action: o.action,
    entityType: o.entityType,
    towns: [...new Set(items.map((r) => r.town).filter((t): t is string => !!t))],
    personKeys: items.map((r) => r.personKey).filter((k): k is string => !!k),
    details: { count: items.length, ...(o.details ?? {}) },
  });
  const last = items[items.length - 1];
  return { items, totalCount, endCursor: last ? cursorOf(last) : null, hasNextPage: rows.length > size, cursorOf };
}

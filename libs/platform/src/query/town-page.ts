import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { AuditWriter } from '../audit/audit-writer';
import type { Principal } from '../auth/principal';
import { townFilter } from '../auth/jurisdiction';
import { EMPTY_PAGE, Page, keysetPage } from './keyset-page';

/**
 * One keyset page of `entity` rows in the caller's towns (or the one `town` asked for, if the caller
 * reaches it), newest first, narrowed by `narrow`, with the read audited (`action`, the rows' ids and
 * person keys). No town reachable → an empty page and no query.
 */
export async function auditedTownPage<T extends ObjectLiteral & { id: string; createdAt: Date; personKey: string }>(
  dataSource: DataSource,
  audit: AuditWriter,
  caller: Principal,
  entity: new () => T,
  filter: { town?: string; first: number; after?: string },
  action: string,
  narrow: (qb: SelectQueryBuilder<T>) => unknown = () => undefined,
): Promise<Page<T>> {
  const towns = townFilter(caller, filter.town);
  if (towns.length === 0) return EMPTY_PAGE;
  const qb = dataSource.getRepository(entity).createQueryBuilder('r').where('r.town IN (:...towns)', { towns });
  narrow(qb);
  const page = await keysetPage(qb, 'r', { first: filter.first, after: filter.after });
  await audit.record({ actor: caller, action, entityType: entity.name, towns, personKeys: page.items.map((r) => r.personKey), details: { ids: page.items.map((r) => r.id) } });
  return page;
}

import { DataSource, EntityTarget, In, ObjectLiteral } from 'typeorm';

/**
 * The rows of `entity` whose `column` is one of `ids`, grouped by it (oldest first; every id present):
 * one query for a DataLoader batch behind a case-page field. Asked only for records of cases the
 * caller already sees (the case read is the audited one), so it filters no town itself.
 */
export async function rowsBy<T extends ObjectLiteral & { createdAt?: Date }>(
  dataSource: DataSource,
  entity: EntityTarget<T>,
  column: keyof T & string,
  ids: readonly string[],
  orderBy: keyof T & string = 'createdAt' as keyof T & string,
): Promise<Map<string, T[]>> {
  const out = new Map<string, T[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await dataSource.getRepository(entity).find({ where: { [column]: In([...ids]) } as never, order: { [orderBy]: 'ASC' } as never });
  for (const r of rows) out.get(r[column] as string)?.push(r);
  return out;
}

import { ObjectLiteral, Repository } from 'typeorm';
import { Principal } from '../auth/principal';
import { townFilter } from '../auth/jurisdiction';

/**
 * The rows of these persons that lie in the caller's towns, newest first, grouped by personKey (every
 * key present, possibly with no rows): one query for a whole DataLoader batch behind a Person field
 * (Person.correctionCases, Person.alerts, …). The caller audits the read with its own action.
 */
export async function rowsByPersonKeyInTowns<T extends ObjectLiteral & { id: string; personKey: string | null }>(
  repository: Repository<T>,
  caller: Principal,
  keys: readonly string[],
): Promise<{ byKey: Map<string, T[]>; rows: T[]; towns: string[] }> {
  const towns = townFilter(caller);
  const byKey = new Map<string, T[]>(keys.map((k) => [k, []]));
  if (keys.length === 0 || towns.length === 0) return { byKey, rows: [], towns };
  const rows = await repository
    .createQueryBuilder('r')
    .where('r.personKey IN (:...keys)', { keys: [...keys] })
    .andWhere('r.town IN (:...towns)', { towns })
    .orderBy('r.createdAt', 'DESC')
    .getMany();
  for (const row of rows) if (row.personKey) byKey.get(row.personKey)?.push(row);
  return { byKey, rows, towns };
}

import { ObjectLiteral, Repository } from 'typeorm';
import { Principal } from '../auth/principal';
import { isEmptyScope, personScope } from '../auth/jurisdiction';

/**
 * The rows of these persons that lie in the caller's towns, newest first, grouped by personKey (every
 * key present, possibly with no rows; a social worker's unassigned persons stay empty): one query for a whole DataLoader batch behind a Person field
 * (Person.correctionCases, Person.alerts, …). The caller audits the read with its own action.
 */
export async function rowsByPersonKeyInTowns<T extends ObjectLiteral & { id: string; personKey: string | null }>(
  repository: Repository<T>,
  caller: Principal,
  keys: readonly string[],
): Promise<{ byKey: Map<string, T[]>; rows: T[]; towns: string[] }> {
  const scope = personScope(caller);
  const towns = scope.towns;
  const byKey = new Map<string, T[]>(keys.map((k) => [k, []]));
  // A social worker asks only for its assigned persons; TEAM_MEMBER / SUBJECT have no town (issue 6 item 7).
  const allowed = scope.personKeys;
  const asked = allowed === null ? [...keys] : keys.filter((k) => allowed.includes(k));
  if (asked.length === 0 || isEmptyScope(scope)) return { byKey, rows: [], towns };
  const rows = await repository
    .createQueryBuilder('r')
    .where('r.personKey IN (:...keys)', { keys: asked })
    .andWhere('r.town IN (:...towns)', { towns })
    .orderBy('r.createdAt', 'DESC')
    .getMany();
  for (const row of rows) if (row.personKey) byKey.get(row.personKey)?.push(row);
  return { byKey, rows, towns };
}

import type { TestDatabase } from './database';

/**
 * Rows in every table of these schemas, by `schema.table` (read as the superuser: an app role may
 * only append to audit). Compare before and after a refused request to show that nothing changed.
 */
export async function rowCounts(db: Pick<TestDatabase, 'query'>, schemas: readonly string[]): Promise<Record<string, number>> {
  const tables = await db.query<{ s: string; t: string }>(
    `SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
    [schemas],
  );
  const out: Record<string, number> = {};
  for (const { s, t } of tables) out[`${s}.${t}`] = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${s}"."${t}"`))[0].n);
  return out;
}

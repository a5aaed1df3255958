import { Client } from 'pg';

/** One column of one table whose raw value contains a needle. */
export interface ClearPiiHit {
  schema: string;
  table: string;
  column: string;
  /** The label of the needle found (its key in `needles`). */
  needle: string;
}

export interface FindClearPiiOptions {
  /** Schemas to scan; default every schema but PostgreSQL's own (pg_catalog, information_schema, pg_toast…). */
  schemas?: string[];
}

/**
 * Issue 6 item 2: reads the RAW rows of every table of the database (every column cast to text:
 * text, varchar, char, json/jsonb, arrays, dates…) and reports each column where one of `needles`
 * appears (case-insensitive). `needles` maps a label to the clear value, e.g.
 * `{ idNumber: '11010519491231002X', name: '王某', birthDate: '19491231', birthDateIso: '1949-12-31' }`.
 * Generic on purpose: a new table or column that stores a person in clear is found without
 * changing the test. Empty needles are ignored.
 */
export async function findClearPii(databaseUrl: string, needles: Record<string, string>, options: FindClearPiiOptions = {}): Promise<ClearPiiHit[]> {
  const entries = Object.entries(needles).filter(([, v]) => typeof v === 'string' && v.length > 0);
  if (entries.length === 0) return [];
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: columns } = await client.query<{ table_schema: string; table_name: string; column_name: string }>(
      `SELECT c.table_schema, c.table_name, c.column_name
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE t.table_type = 'BASE TABLE'
          AND c.table_schema NOT IN ('pg_catalog', 'information_schema') AND c.table_schema NOT LIKE 'pg\\_%'
          AND ($1::text[] IS NULL OR c.table_schema = ANY($1::text[]))
        ORDER BY c.table_schema, c.table_name, c.ordinal_position`,
      [options.schemas ?? null],
    );
    const labels = entries.map(([k]) => k);
    const values = entries.map(([, v]) => v.toLowerCase());
    const hits: ClearPiiHit[] = [];
    for (const col of columns) {
      const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
      const { rows } = await client.query<{ i: number }>(
        `SELECT n.i FROM unnest($1::text[]) WITH ORDINALITY AS n(v, i)
          WHERE EXISTS (SELECT 1 FROM ${q(col.table_schema)}.${q(col.table_name)} t
                         WHERE strpos(lower(t.${q(col.column_name)}::text), n.v) > 0)`,
        [values],
      );
      for (const r of rows) {
        hits.push({ schema: col.table_schema, table: col.table_name, column: col.column_name, needle: labels[Number(r.i) - 1] });
      }
    }
    return hits;
  } finally {
    await client.end();
  }
}

/** The needles of one person: the clear ID number, the name and the birth date as YYYYMMDD and YYYY-MM-DD. */
export function personNeedles(idNumber: string, name: string, prefix = ''): Record<string, string> {
  const birth = idNumber.slice(6, 14);
  return {
    [`${prefix}idNumber`]: idNumber,
    [`${prefix}name`]: name,
    [`${prefix}birthDate`]: birth,
    [`${prefix}birthDateIso`]: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
  };
}

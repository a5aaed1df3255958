import type { DataSource } from 'typeorm';

/**
 * Reference data of identity (CLI `seed`). Nothing yet: accounts are created with `user:create` and
 * `partner:create`, never seeded with fixed passwords. Returns what was seeded, one line per item.
 */
export async function seed(_dataSource: DataSource): Promise<string[]> {
  return [];
}

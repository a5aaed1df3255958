import type { DataSource, EntityManager } from 'typeorm';
import { assertSchemaName } from './bus.options';

/** Health/metrics view of a service's outbox. */
export interface BusStatus {
  /** Rows not yet relayed to BullMQ. */
  pending: number;
  /** Age in seconds of the oldest unrelayed row, null when none. */
  oldestPendingAgeSeconds: number | null;
  /** Rows relayed but not yet confirmed completed by every consumer. */
  undelivered: number;
  /** Open (unresolved) dead letters of this service's consumer. */
  deadLetters: number;
}

/** Reads {@link BusStatus} for `schema` (one query). */
export async function busStatus(db: DataSource | EntityManager, schema: string): Promise<BusStatus> {
  assertSchemaName(schema);
  const s = `"${schema}"`;
  const [row] = (await db.query(
    `SELECT
       (SELECT count(*) FROM ${s}.bus_outbox WHERE relayed_at IS NULL)::int AS pending,
       (SELECT extract(epoch FROM now() - min(created_at)) FROM ${s}.bus_outbox WHERE relayed_at IS NULL)::float8 AS oldest,
       (SELECT count(*) FROM ${s}.bus_outbox WHERE relayed_at IS NOT NULL AND delivered_at IS NULL)::int AS undelivered,
       (SELECT count(*) FROM ${s}.bus_dead_letters WHERE resolved_at IS NULL)::int AS dead`,
  )) as { pending: number; oldest: number | null; undelivered: number; dead: number }[];
  return {
    pending: row.pending,
    oldestPendingAgeSeconds: row.oldest === null ? null : Math.max(0, row.oldest),
    undelivered: row.undelivered,
    deadLetters: row.dead,
  };
}

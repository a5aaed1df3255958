import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PushKind } from '@homeward/domain';

/** The SQL of RS-13 push that TypeORM's repository API does not say plainly (conflict-free insert, skip-locked sweep). */
@Injectable()
export class PushRepository {
  /** A delivery, once per (event, subscriber, kind): null when it exists already (a redelivered event). */
  async insertDelivery(
    manager: EntityManager,
    row: { subscriberId: string; kind: PushKind; eventId: string; town: string; personKey: string; payload: Record<string, unknown>; nextAttemptAt: Date },
  ): Promise<string | null> {
    const rows = (await manager.query(
      `INSERT INTO resettlement.push_deliveries (subscriber_id, kind, event_id, town, person_key, payload, status, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'PENDING', $7) ON CONFLICT (event_id, subscriber_id, kind) DO NOTHING RETURNING id`,
      [row.subscriberId, row.kind, row.eventId, row.town, row.personKey, JSON.stringify(row.payload), row.nextAttemptAt],
    )) as { id: string }[];
    return rows[0]?.id ?? null;
  }

  /** PENDING deliveries whose next attempt was due before `before`, locked (others skip them). */
  async lockOverdue(manager: EntityManager, before: Date, limit = 500): Promise<{ id: string; attempts: number }[]> {
    return (await manager.query(
      `SELECT id, attempts FROM resettlement.push_deliveries
       WHERE status = 'PENDING' AND next_attempt_at < $1 ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [before, limit],
    )) as { id: string; attempts: number }[];
  }

  async setNextAttempt(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(`UPDATE resettlement.push_deliveries SET next_attempt_at = $2 WHERE id = $1`, [id, at]);
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_CATALOGUE, assertNoPii, type EventEnvelope, type EventName, type EventPayloads } from '@homeward/domain';
import { BUS_CLOCK, BUS_OPTIONS, notifyChannelOf, systemBusClock, type BusClock, type BusOptions } from './bus.options';
import { busMetrics } from './bus.metrics';

/**
 * Writes events to the service's outbox in the caller's transaction (the transactional outbox):
 * the event exists exactly when the caller's changes commit. The relay moves it to BullMQ afterwards.
 */
@Injectable()
export class EventPublisher {
  constructor(
    @Inject(BUS_OPTIONS) private readonly options: Pick<BusOptions, 'service' | 'schema'>,
    @Optional() @Inject(BUS_CLOCK) private readonly clock: BusClock = systemBusClock,
  ) {}

  /**
   * Inserts the outbox row through `manager`, which must be inside a transaction
   * (`dataSource.transaction(m => ...)`), and NOTIFYs the relay (delivered by PostgreSQL on commit only).
   * Only catalogue names compile, each with its own payload type; payloads carrying PII are refused.
   */
  async publish<N extends EventName>(manager: EntityManager, name: N, payload: EventPayloads[N]): Promise<EventEnvelope<N>> {
    const entry = EVENT_CATALOGUE[name];
    if (!entry) throw new Error(`Bus: "${String(name)}" is not in the event catalogue`);
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Bus: publish("${name}") needs the EntityManager of an open transaction (dataSource.transaction(manager => ...))`);
    }
    assertNoPii(payload);
    const envelope: EventEnvelope<N> = {
      id: randomUUID(),
      name,
      version: entry.version,
      occurredAt: (this.clock ?? systemBusClock).now().toISOString(),
      producer: this.options.service,
      payload,
    };
    const s = `"${this.options.schema}"`;
    await manager.query(`INSERT INTO ${s}.bus_outbox (id, name, version, payload, occurred_at) VALUES ($1, $2, $3, $4::jsonb, $5)`, [
      envelope.id,
      envelope.name,
      envelope.version,
      JSON.stringify(payload),
      envelope.occurredAt,
    ]);
    await manager.query('SELECT pg_notify($1, $2)', [notifyChannelOf(this.options.schema), envelope.id]);
    busMetrics.published.inc({ service: this.options.service, event: name });
    return envelope;
  }
}

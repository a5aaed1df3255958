import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode, eventsConsumedBy } from '@homeward/domain';
import {
  BUS_OPTIONS,
  DeadLetterError,
  DeadLetters,
  busStatus,
  closeRedis,
  createBusRedis,
  queueNameOf,
  type BusOptions,
  type DeadLetterView,
} from '@homeward/bus';
import { AuditWriter } from '../audit/audit-writer';
import type { Principal } from '../auth/principal';
import { BusQueueDepth, DeadLetterHow, DeadLetterType, ServiceBusStatus } from './bus-admin.types';

function typeOf(v: DeadLetterView): DeadLetterType {
  return { ...v, resolvedHow: v.resolvedHow as DeadLetterHow | null };
}

/** This service's part of `busStatus` and its dead-letter resolution (issue 14 items 5 and 6). */
@Injectable()
export class BusAdminService implements OnModuleDestroy {
  private redis?: Redis;
  private queue?: Queue;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
    private readonly deadLetters: DeadLetters,
    private readonly audit: AuditWriter,
  ) {}

  async status(): Promise<ServiceBusStatus> {
    const [s, letters, queue] = await Promise.all([busStatus(this.dataSource, this.options.schema), this.deadLetters.list({ limit: 20 }), this.queueDepth()]);
    return {
      service: this.options.service,
      outboxBacklog: s.pending,
      oldestUnrelayedAgeSeconds: s.oldestPendingAgeSeconds,
      undelivered: s.undelivered,
      openDeadLetters: s.deadLetters,
      deadLetters: letters.map(typeOf),
      queue,
    };
  }

  /** SYSTEM_ADMIN replays or discards one open dead letter; audited in the same transaction. */
  async resolve(caller: Principal, id: string, how: DeadLetterHow): Promise<DeadLetterType> {
    try {
      const letter = await this.deadLetters.resolve(id, how, caller.username ?? caller.sub, (manager, l) =>
        this.audit.record(
          {
            actor: caller,
            action: `${this.options.schema}.dead-letter.${how === DeadLetterHow.REPLAYED ? 'replay' : 'discard'}`,
            entityType: 'bus.dead-letter',
            entityId: l.id,
            details: { eventId: l.eventId, eventName: l.eventName, handler: l.handler },
          },
          manager,
        ),
      );
      return typeOf(letter);
    } catch (error) {
      if (error instanceof DeadLetterError) {
        throw new DomainError(error.code === 'DEAD_LETTER_NOT_FOUND' ? DomainErrorCode.NOT_FOUND : DomainErrorCode.CONFLICT, error.message, { field: 'id' });
      }
      throw error;
    }
  }

  /** Cheap: one call, bounded by 1 s; null when Redis does not answer or the service consumes nothing (no queue). */
  private async queueDepth(): Promise<BusQueueDepth | null> {
    if (eventsConsumedBy(this.options.service).length === 0) return null;
    const name = queueNameOf(this.options.service);
    try {
      if (!this.queue) {
        this.redis = createBusRedis(this.options.redisUrl, `bus-admin:${this.options.service}`);
        this.queue = new Queue(name, { connection: this.redis, prefix: this.options.prefix });
        this.queue.on('error', () => undefined);
      }
      const counts = await Promise.race([
        this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref()),
      ]);
      return { name, waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
    } catch {
      return null;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    if (this.redis) await closeRedis(this.redis);
  }
}

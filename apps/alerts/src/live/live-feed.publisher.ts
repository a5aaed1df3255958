import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { PLATFORM_REDIS } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { Alert } from '../alerts/alert.entity';

export type LiveKind = 'RAISED' | 'CHANGED';

/** One message of the live feed, as it travels on Redis pub/sub between replicas. */
export interface LiveMessage {
  kind: LiveKind;
  id: string;
  rule: string;
  colour: string;
  state: string;
  town: string | null;
  personKey: string | null;
  raisedAt: string;
  dueBy: string | null;
}

export function liveChannel(config: AlertsConfig): string {
  return `${config.REDIS_PREFIX}:alerts:live`;
}

/**
 * AL-5: puts an alert raised or changed on the live feed's Redis channel after its transaction
 * commits (never a rolled-back alert); every alerts replica's LiveFeedServer hears it.
 */
@Injectable()
export class LiveFeedPublisher implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, LiveMessage[]>();
  private readonly channel: string;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    @Inject(AlertsConfig) config: AlertsConfig,
  ) {
    this.channel = liveChannel(config);
    dataSource.subscribers.push(this);
  }

  /** Queues the alert's message for after the manager's transaction commits (at once without one). */
  async queue(manager: EntityManager, kind: LiveKind, a: Alert): Promise<void> {
    const message: LiveMessage = {
      kind,
      id: a.id,
      rule: a.rule,
      colour: a.colour,
      state: a.state,
      town: a.town,
      personKey: a.personKey,
      raisedAt: new Date(a.raisedAt).toISOString(),
      dueBy: a.dueBy ? new Date(a.dueBy).toISOString() : null,
    };
    const runner = manager.queryRunner;
    if (runner?.isTransactionActive) {
      const list = this.pending.get(runner);
      if (list) list.push(message);
      else this.pending.set(runner, [message]);
      return;
    }
    await this.send([message]);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const messages = this.pending.get(event.queryRunner);
    if (!messages) return;
    this.pending.delete(event.queryRunner);
    void this.send(messages);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    this.pending.delete(event.queryRunner);
  }

  private async send(messages: LiveMessage[]): Promise<void> {
    // The feed is best effort (the alert is in PostgreSQL either way): a Redis hiccup loses a live message, not an alert.
    if (messages.length === 1) {
      await this.redis.publish(this.channel, JSON.stringify(messages[0])).catch(() => undefined);
      return;
    }
    // A transaction's messages (a sweep's hundreds) in one pipeline, in order: one round trip, not one each.
    const pipeline = this.redis.pipeline();
    for (const m of messages) pipeline.publish(this.channel, JSON.stringify(m));
    await pipeline.exec().catch(() => undefined);
  }
}

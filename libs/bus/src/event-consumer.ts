import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Queue, Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import type { DataSource } from 'typeorm';
import type { EventEnvelope, EventName } from '@homeward/domain';
import { ackKeyOf, ackMemberOf, concurrencyOf, queueNameOf, type BusOptions } from './bus.options';
import { drainWorker } from './drain';
import { escapeLiteral, inTransactionOpenedWith } from './opened-transaction';
import { busMetrics, registerQueueDepthSource } from './bus.metrics';
import type { EventPublisher } from './event-publisher';
import { validateHandlers } from './handler-validation';
import type { BusHandler } from './on-event.decorator';
import { closeRedis, createBusRedis } from './redis-connection';

/** What a delivery did (the job's return value, visible in BullMQ). */
export type DeliveryOutcome = 'processed' | 'duplicate' | 'dead-lettered';

const DEAD_LETTERED: EventName = 'bus.event.dead-lettered';

/**
 * The consumer side of a service: a BullMQ worker on `events.<service>`. Each delivery runs the event's
 * handler in a transaction that first records (event id, handler) in the inbox; when the row already exists
 * the event was processed before and the delivery does nothing. A failure rolls everything back and BullMQ
 * retries with exponential backoff; on the last attempt the consumer writes a dead letter (+ inbox row) and
 * publishes `bus.event.dead-lettered` through its own outbox in one transaction, and completes the job.
 */
export class EventConsumer {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly handlers: Map<EventName, BusHandler>;
  private worker?: Worker;
  private redis?: Redis;
  private unregisterDepth?: () => void;

  /** Validates the handlers against the catalogue (throws `BusSetupError`). */
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: BusOptions,
    handlers: readonly BusHandler[],
    private readonly publisher: EventPublisher,
  ) {
    this.handlers = validateHandlers(options.service, handlers);
  }

  /** True when the catalogue gives this service events to consume. */
  get hasWork(): boolean {
    return this.handlers.size > 0;
  }

  /** Starts the worker (no-op when the service consumes nothing or it already runs). */
  start(): void {
    if (this.worker || !this.hasWork) return;
    this.redis = createBusRedis(this.options.redisUrl, `bus-worker:${this.options.service}`);
    this.worker = new Worker(queueNameOf(this.options.service), (job: Job) => this.process(job), {
      connection: this.redis,
      prefix: this.options.prefix,
      // issue 13 S1: BUS_QUEUE_CONCURRENCY's entry for events.<service>, else BUS_CONCURRENCY
      concurrency: concurrencyOf(this.options, queueNameOf(this.options.service), this.options.concurrency),
    });
    this.worker.on('error', (err) => this.logger.warn(`Worker ${queueNameOf(this.options.service)}: ${err.message}`));
    // Queue depths on /metrics (issue 14 item 5), read at scrape time through a queue handle on the same connection.
    const depthQueue = new Queue(queueNameOf(this.options.service), { connection: this.redis, prefix: this.options.prefix });
    depthQueue.on('error', () => undefined);
    this.unregisterDepth = registerQueueDepthSource(queueNameOf(this.options.service), () => depthQueue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'));
    this.worker.on('failed', (job, err) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
        this.logger.error(`Event job ${job.id} failed for good (the relay will re-relay it): ${err.message}`);
      }
    });
  }

  /** Stops taking events and lets the running handlers finish (bounded, see drainWorker); the connection stays open. */
  async drain(timeoutMs?: number): Promise<void> {
    await drainWorker(this.worker, `consumer ${queueNameOf(this.options.service)}`, timeoutMs);
  }

  /** Graceful stop: waits for running handlers to finish (bounded), then closes the connection. */
  async close(): Promise<void> {
    this.unregisterDepth?.();
    this.unregisterDepth = undefined;
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await drainWorker(worker, `consumer ${queueNameOf(this.options.service)}`);
    if (this.redis) await closeRedis(this.redis);
    this.redis = undefined;
  }

  /**
   * Handles one delivery; exported for the worker only (public so plain scripts may drive it). Whatever the
   * outcome, the event is then acknowledged to its producer (issue 13 S1, {@link ackKeyOf}) before the job
   * completes and BullMQ removes it (sent ahead of the completion on the same connection, not waited for:
   * see {@link acknowledge}).
   */
  async process(job: Job): Promise<DeliveryOutcome> {
    const envelope = job.data as EventEnvelope;
    const handler = this.handlers.get(envelope.name);
    const handlerName = handler?.name ?? `<none:${envelope.name}>`;
    const labels = { service: this.options.service, event: envelope.name };
    let outcome: DeliveryOutcome;
    try {
      if (!handler) throw new Error(`service "${this.options.service}" has no handler for "${envelope.name}"`);
      outcome = await this.claimAndHandle(envelope, handlerName, handler);
      busMetrics.handled.inc({ ...labels, outcome });
    } catch (err) {
      const maxAttempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 < maxAttempts) {
        busMetrics.handled.inc({ ...labels, outcome: 'retry' });
        throw err;
      }
      await this.deadLetter(envelope, handlerName, err, job.attemptsMade + 1);
      busMetrics.handled.inc({ ...labels, outcome: 'dead-lettered' });
      outcome = 'dead-lettered';
    }
    this.acknowledge(envelope);
    return outcome;
  }

  /**
   * The delivery's transaction: the inbox claim of (event id, handler), then — when the claim is new — the
   * handler with the transaction's EntityManager, then COMMIT; a duplicate commits nothing. Issue 13 S1: the
   * claim travels with START TRANSACTION (see {@link inTransactionOpenedWith}), one round trip fewer per event.
   */
  private claimAndHandle(envelope: EventEnvelope, handlerName: string, handler: BusHandler): Promise<DeliveryOutcome> {
    const claim =
      `INSERT INTO "${this.options.schema}".bus_inbox (event_id, handler, event_name) ` +
      `VALUES (${escapeLiteral(envelope.id)}, ${escapeLiteral(handlerName)}, ${escapeLiteral(envelope.name)}) ` +
      `ON CONFLICT (event_id, handler) DO NOTHING RETURNING event_id`;
    return inTransactionOpenedWith(this.dataSource, claim, async ([claimed], manager): Promise<DeliveryOutcome> => {
      if (claimed.rowCount !== 1) return 'duplicate';
      await handler.handle(envelope, manager);
      return 'processed';
    });
  }

  /**
   * Issue 13 S1: the acknowledgement is sent, not waited for. It goes out on the worker's own connection, the
   * one BullMQ then completes the job on, so Redis records it before the completion (one connection runs its
   * commands in order); a round trip per event saved. An acknowledgement that is lost (an error, a connection
   * that breaks in between) only makes the reconcile relay the event again, which the inbox answers as a
   * duplicate — and acknowledges again.
   */
  private acknowledge(envelope: EventEnvelope): void {
    this.redis ??= createBusRedis(this.options.redisUrl, `bus-worker:${this.options.service}`);
    this.redis
      .zadd(ackKeyOf(this.options.prefix, envelope.producer), Date.now(), ackMemberOf(envelope.id, this.options.service))
      .catch((err: Error) => this.logger.warn(`Acknowledgement of ${envelope.name} ${envelope.id} lost (the reconcile will deliver it again): ${err.message}`));
  }

  private async deadLetter(envelope: EventEnvelope, handler: string, err: unknown, attempts: number): Promise<void> {
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const detail = err instanceof Error && err.stack ? err.stack : error;
    await this.dataSource.transaction(async (manager) => {
      const s = `"${this.options.schema}"`;
      const rows: unknown[] = await manager.query(
        `INSERT INTO ${s}.bus_dead_letters (id, event_id, event_name, handler, payload, error, attempts)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
         ON CONFLICT (event_id, handler) DO UPDATE
           SET resolved_at = NULL, resolved_by = NULL, resolved_how = NULL, error = EXCLUDED.error, attempts = EXCLUDED.attempts, created_at = now()
           WHERE bus_dead_letters.resolved_at IS NOT NULL
         RETURNING id`,
        [randomUUID(), envelope.id, envelope.name, handler, JSON.stringify(envelope), detail.slice(0, 8000), attempts],
      );
      await manager.query(
        `INSERT INTO ${s}.bus_inbox (event_id, handler, event_name) VALUES ($1, $2, $3) ON CONFLICT (event_id, handler) DO NOTHING`,
        [envelope.id, handler, envelope.name],
      );
      // nothing returned: already dead-lettered and still open; a row: new, or a replay that failed again (reopened)
      if (rows.length === 0) return;
      this.logger.error(`Dead-lettered ${envelope.name} ${envelope.id} in ${handler} after ${attempts} attempts: ${error}`);
      busMetrics.deadLettered.inc({ service: this.options.service, event: envelope.name });
      // A dead letter of the dead-letter event itself is recorded but not announced again (no loop).
      if (envelope.name === DEAD_LETTERED) return;
      await this.publisher.publish(manager, 'bus.event.dead-lettered', {
        eventId: envelope.id,
        eventName: envelope.name,
        service: this.options.service,
        handler,
        error: error.slice(0, 500),
      });
    });
  }
}

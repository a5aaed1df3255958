/* Shared set-up of the bus medium tests: a fresh database with the producer/consumer schemas, a unique Redis prefix. */
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { SentenceType, eventsConsumedBy, type EventEnvelope, type EventName, type EventPayloads, type ServiceName } from '@homeward/domain';
import { createTestDatabase, flushRedisPrefix, testRedisPrefix, testRedisUrl, type TestDatabase } from '@homeward/testing';
import {
  EventConsumer,
  EventPublisher,
  OnEvent,
  OutboxRelay,
  createBusRedis,
  addDeadLetterResolution,
  createBusTables,
  addScheduledJobColumns,
  handlersOf,
  queueNameOf,
  resolveBusOptions,
  closeRedis,
  type BusOptions,
  type BusOptionsInput,
  type EventHandlerFn,
} from '../src';

/** Test options: fast retries and reconcile so the tests take seconds. */
export type TestBusOverrides = Partial<Omit<BusOptionsInput, 'service' | 'schema'>>;

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The consumer's handlers in the tests: service `alerts` consumes six catalogue events. Each handler writes an
 * "effect" row in the consumer's transaction; events listed in `failing` throw after writing it (so it rolls back).
 */
export class AlertsTestHandlers {
  readonly calls = new Map<string, number>();
  readonly failing = new Set<EventName>();
  /** Milliseconds each handler waits after writing its effect (to catch it mid-flight). */
  delayMs = 0;

  async effect(envelope: EventEnvelope, manager: EntityManager): Promise<void> {
    this.calls.set(envelope.id, (this.calls.get(envelope.id) ?? 0) + 1);
    await manager.query('INSERT INTO alerts.effects (event_id, event_name) VALUES ($1, $2)', [envelope.id, envelope.name]);
    if (this.delayMs > 0) await sleep(this.delayMs);
    if (this.failing.has(envelope.name)) throw new Error(`handler for ${envelope.name} always fails`);
  }

  @OnEvent('correction.subject.enrolled')
  onEnrolled(e: EventEnvelope<'correction.subject.enrolled'>, m: EntityManager): Promise<void> {
    return this.effect(e, m);
  }

  @OnEvent('correction.subject.reported')
  onReported(e: EventEnvelope<'correction.subject.reported'>, m: EntityManager): Promise<void> {
    return this.effect(e, m);
  }

  @OnEvent('correction.subject.activated')
  onActivated(e: EventEnvelope<'correction.subject.activated'>, m: EntityManager): Promise<void> {
    return this.effect(e, m);
  }

  @OnEvent('correction.subject.discharged')
  onDischarged(e: EventEnvelope<'correction.subject.discharged'>, m: EntityManager): Promise<void> {
    return this.effect(e, m);
  }

  @OnEvent('correction.subject.terminated')
  onTerminated(e: EventEnvelope<'correction.subject.terminated'>, m: EntityManager): Promise<void> {
    return this.effect(e, m);
  }

  @OnEvent('bus.event.dead-lettered')
  onDeadLettered(e: EventEnvelope<'bus.event.dead-lettered'>, m: EntityManager): Promise<void> {
    return this.effect(e, m);
  }
}

/**
 * The catalogue grows as workstreams are built: every other event `alerts` consumes gets a plain effect
 * handler too, so start-up validation (one handler per consumed event) keeps passing without editing
 * these tests for each new event.
 */
{
  const declared = new Set(handlersOf(new AlertsTestHandlers()).map((h) => h.event));
  for (const event of eventsConsumedBy('alerts')) {
    if (declared.has(event)) continue;
    const method = `on_${event.replace(/[^A-Za-z0-9]+/g, '_')}`;
    const descriptor: TypedPropertyDescriptor<EventHandlerFn> = {
      value(this: AlertsTestHandlers, e: EventEnvelope, m: EntityManager) {
        return this.effect(e, m);
      },
      writable: true,
      configurable: true,
    };
    Object.defineProperty(AlertsTestHandlers.prototype, method, descriptor);
    OnEvent(event)(AlertsTestHandlers.prototype, method, descriptor);
  }
}

/**
 * An injectable class with a do-nothing `@OnEvent` handler for every event `service` consumes (e.g. a
 * producer app under test that also consumes something), so its start-up validation passes.
 */
export function noopHandlersFor(service: ServiceName): new () => object {
  class NoopHandlers {}
  Object.defineProperty(NoopHandlers, 'name', { value: `NoopHandlers_${service.replace(/[^A-Za-z0-9]+/g, '_')}` });
  for (const event of eventsConsumedBy(service)) {
    const method = `on_${event.replace(/[^A-Za-z0-9]+/g, '_')}`;
    const descriptor: TypedPropertyDescriptor<EventHandlerFn> = { value: async () => undefined, writable: true, configurable: true };
    Object.defineProperty(NoopHandlers.prototype, method, descriptor);
    OnEvent(event)(NoopHandlers.prototype, method, descriptor);
  }
  return NoopHandlers;
}

export function enrolledPayload(subjectId = '00000000-0000-4000-8000-000000000001'): EventPayloads['correction.subject.enrolled'] {
  return {
    subjectId,
    personKey: 'a'.repeat(64),
    town: '104',
    sentenceType: SentenceType.PROBATION,
    judgmentEffectiveDate: '2025-03-03',
    reportDeadline: '2025-03-13',
    documentsDeadline: '2025-03-13',
  };
}

/** One test file's world: database `hw_t_*` with schemas `correction` (producer) and `alerts` (consumer). */
export class BusTestWorld {
  readonly prefix = testRedisPrefix('bus');
  readonly redisUrl = testRedisUrl();
  db!: TestDatabase;
  dataSource!: DataSource;
  private readonly closers: (() => Promise<void>)[] = [];

  async setUp(): Promise<void> {
    this.db = await createTestDatabase();
    this.dataSource = new DataSource({ type: 'postgres', url: this.db.url, synchronize: false, extra: { max: 12 } });
    await this.dataSource.initialize();
    const qr = this.dataSource.createQueryRunner();
    try {
      for (const schema of ['correction', 'alerts', 'resettlement']) {
        await qr.query(`CREATE SCHEMA ${schema}`);
        await createBusTables(qr, schema);
        await addScheduledJobColumns(qr, schema);
        await addDeadLetterResolution(qr, schema);
      }
      await qr.query(`CREATE TABLE alerts.effects (id bigserial PRIMARY KEY, event_id uuid NOT NULL, event_name text NOT NULL)`);
    } finally {
      await qr.release();
    }
  }

  /** Stops every relay, worker and queue handle made so far (call in afterEach: tests do not share them). */
  async stopAll(): Promise<void> {
    const closers = this.closers.splice(0).reverse();
    for (const close of closers) await close();
  }

  async tearDown(): Promise<void> {
    await this.stopAll();
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
    await this.db?.drop();
    await flushRedisPrefix(this.redisUrl, this.prefix);
  }

  options(service: ServiceName, schema: string, overrides: TestBusOverrides = {}): BusOptions {
    return resolveBusOptions({
      service,
      schema,
      redisUrl: this.redisUrl,
      prefix: this.prefix,
      maxAttempts: 3,
      backoffDelayMs: 20,
      relayIntervalMs: 100,
      reconcileAfterMs: 300,
      completedRetentionSeconds: 3600,
      ...overrides,
    });
  }

  publisher(service: ServiceName = 'community-correction', schema = 'correction'): EventPublisher {
    return new EventPublisher(this.options(service, schema));
  }

  relay(service: ServiceName = 'community-correction', schema = 'correction', overrides: TestBusOverrides = {}): OutboxRelay {
    const relay = new OutboxRelay(this.dataSource, this.options(service, schema, overrides));
    this.closers.push(() => relay.stop());
    return relay;
  }

  consumer(handlers: object, overrides: TestBusOverrides = {}): EventConsumer {
    const options = this.options('alerts', 'alerts', overrides);
    const consumer = new EventConsumer(this.dataSource, options, handlersOf(handlers), new EventPublisher(options));
    this.closers.push(() => consumer.close());
    return consumer;
  }

  /** A BullMQ queue handle on a consumer's queue, or on the job queue `name` (for inspecting or injecting jobs). */
  queue(service: ServiceName = 'alerts', name: string = queueNameOf(service)): Queue {
    const redis = createBusRedis(this.redisUrl, 'bus-test');
    const queue = new Queue(name, { connection: redis, prefix: this.prefix });
    this.closers.push(async () => {
      await queue.close();
      await closeRedis(redis);
    });
    return queue;
  }

  async effects(eventId?: string): Promise<{ event_id: string; event_name: string }[]> {
    return eventId
      ? this.dataSource.query('SELECT event_id, event_name FROM alerts.effects WHERE event_id = $1', [eventId])
      : this.dataSource.query('SELECT event_id, event_name FROM alerts.effects ORDER BY id');
  }

  async outboxRow(schema: string, id: string): Promise<OutboxRowView | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT id, name, relayed_at, delivered_at, pending_consumers, attempts FROM ${schema}.bus_outbox WHERE id = $1`,
      [id],
    );
    return row;
  }
}

export interface OutboxRowView {
  id: string;
  name: string;
  relayed_at: Date | null;
  delivered_at: Date | null;
  pending_consumers: string[] | null;
  attempts: number;
}

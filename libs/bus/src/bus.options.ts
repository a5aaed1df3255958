import type { InjectionToken } from '@nestjs/common';
import type { ServiceName } from '@homeward/domain';

/** DI token of the resolved {@link BusOptions}. */
export const BUS_OPTIONS = Symbol('BUS_OPTIONS');
/** DI token of the clock used to stamp `occurredAt` (anything with `now(): Date`). */
export const BUS_CLOCK = Symbol('BUS_CLOCK');
/** DI token of the TypeORM DataSource the bus uses (defaults to the app's `DataSource`). */
export const BUS_DATA_SOURCE = Symbol('BUS_DATA_SOURCE');

/** What the bus needs from a clock: only `now()` (the domain `Clock` satisfies it). */
export interface BusClock {
  now(): Date;
}

export const systemBusClock: BusClock = { now: () => new Date() };

/** Options a service gives the bus. Every number falls back to its environment variable, then to a default. */
export interface BusOptionsInput {
  /** The service this process is (producer name in envelopes, consumer queue `events.<service>`). */
  service: ServiceName;
  /** The service's PostgreSQL schema holding bus_outbox / bus_inbox / bus_dead_letters. */
  schema: string;
  /** env REDIS_URL, else redis://127.0.0.1:6379 */
  redisUrl?: string;
  /** BullMQ key prefix; env REDIS_PREFIX, else `hw`. */
  prefix?: string;
  /** Deliveries per event and consumer before the dead letter; env BUS_MAX_ATTEMPTS, default 5. */
  maxAttempts?: number;
  /** Base delay of the exponential backoff; env BUS_BACKOFF_DELAY_MS, default 1000. */
  backoffDelayMs?: number;
  /** Relay poll period when no NOTIFY arrives; env BUS_RELAY_INTERVAL_MS, default 500. */
  relayIntervalMs?: number;
  /** A relayed, not yet delivered event is checked against BullMQ this long after relay (and after each check); env BUS_RECONCILE_AFTER_MS, default 30000. */
  reconcileAfterMs?: number;
  /** Rows per relay / reconcile batch; default 500 (issue 13 S1: 100 left the relay at 0.65 of addBulk in the same chunks, 500 at 0.78). */
  batchSize?: number;
  /** Relay batches in flight at once in one relay (each its own transaction and rows); default 2. */
  relayLanes?: number;
  /** Jobs the event worker runs at once; env BUS_CONCURRENCY, default 4. */
  concurrency?: number;
  /**
   * Jobs run at once per queue, by queue name (`events.alerts`, `alerts.deadlines`, …), over `concurrency`
   * for the event queue and over the code's value for a `BusJobs` queue; env BUS_QUEUE_CONCURRENCY
   * (`events.alerts=8,alerts.deadlines=4`), explicit entries win per queue. Default none.
   */
  queueConcurrency?: Readonly<Record<string, number>>;
  /** How long BullMQ keeps completed jobs (the reconcile reads their state); default 86400 s. Must be far above reconcileAfterMs. */
  completedRetentionSeconds?: number;
  /** Delivered outbox rows older than this are purged by the relay; default 7 days. */
  outboxRetentionDays?: number;
  /** Inbox rows (handled event ids) older than this are purged by the relay; default 30 days (far past any redelivery). */
  inboxRetentionDays?: number;
}

export type BusOptions = Required<BusOptionsInput>;

function positiveInt(name: string, given: number | undefined, env: NodeJS.ProcessEnv, envName: string | null, fallback: number): number {
  if (given !== undefined) {
    if (!Number.isInteger(given) || given <= 0) throw new Error(`Bus option ${name} must be a positive integer, got ${given}`);
    return given;
  }
  const raw = envName ? env[envName] : undefined;
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${envName} must be a positive integer, got "${raw}"`);
  return n;
}

const QUEUE_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/**
 * Parses BUS_QUEUE_CONCURRENCY: `queue=n` entries separated by commas (spaces allowed), each queue once,
 * n a positive integer. Throws naming the bad entry.
 */
export function parseQueueConcurrency(raw: string, envName = 'BUS_QUEUE_CONCURRENCY'): Record<string, number> {
  const out: Record<string, number> = {};
  if (raw.trim() === '') return out;
  for (const entry of raw.split(',')) {
    const item = entry.trim();
    const match = /^([^=\s]+)\s*=\s*(\S+)$/.exec(item);
    if (!match) throw new Error(`${envName}: "${item}" is not queue=n (e.g. events.alerts=8,alerts.deadlines=4)`);
    const [, queue, value] = match;
    if (!QUEUE_NAME.test(queue)) throw new Error(`${envName}: "${queue}" is not a queue name (expected ${QUEUE_NAME})`);
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new Error(`${envName}: the concurrency of ${queue} must be a positive integer, got "${value}"`);
    if (queue in out) throw new Error(`${envName}: ${queue} is given twice`);
    out[queue] = n;
  }
  return out;
}

function queueConcurrencyOf(given: Readonly<Record<string, number>> | undefined, env: NodeJS.ProcessEnv): Record<string, number> {
  const out = parseQueueConcurrency(env.BUS_QUEUE_CONCURRENCY ?? '');
  for (const [queue, n] of Object.entries(given ?? {})) {
    if (!QUEUE_NAME.test(queue)) throw new Error(`Bus option queueConcurrency: "${queue}" is not a queue name (expected ${QUEUE_NAME})`);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`Bus option queueConcurrency.${queue} must be a positive integer, got ${n}`);
    out[queue] = n;
  }
  return out;
}

/** How many jobs of `queue` a worker runs at once: its `queueConcurrency` entry, else `fallback`. */
export function concurrencyOf(options: Partial<Pick<BusOptions, 'queueConcurrency'>>, queue: string, fallback: number): number {
  return options.queueConcurrency?.[queue] ?? fallback;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,50}$/;

/** Checks a schema name so it can be quoted into SQL safely. */
export function assertSchemaName(schema: string): void {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Bus: invalid schema name "${schema}" (expected ${SCHEMA_NAME})`);
}

/** Fills defaults from the environment (`env`, default process.env); throws naming a bad variable. */
export function resolveBusOptions(input: BusOptionsInput, env: NodeJS.ProcessEnv = process.env): BusOptions {
  assertSchemaName(input.schema);
  const options: BusOptions = {
    service: input.service,
    schema: input.schema,
    redisUrl: input.redisUrl ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: input.prefix ?? (env.REDIS_PREFIX || 'hw'),
    maxAttempts: positiveInt('maxAttempts', input.maxAttempts, env, 'BUS_MAX_ATTEMPTS', 5),
    backoffDelayMs: positiveInt('backoffDelayMs', input.backoffDelayMs, env, 'BUS_BACKOFF_DELAY_MS', 1000),
    relayIntervalMs: positiveInt('relayIntervalMs', input.relayIntervalMs, env, 'BUS_RELAY_INTERVAL_MS', 500),
    reconcileAfterMs: positiveInt('reconcileAfterMs', input.reconcileAfterMs, env, 'BUS_RECONCILE_AFTER_MS', 30_000),
    batchSize: positiveInt('batchSize', input.batchSize, env, null, 500),
    relayLanes: positiveInt('relayLanes', input.relayLanes, env, null, 2),
    concurrency: positiveInt('concurrency', input.concurrency, env, 'BUS_CONCURRENCY', 4),
    queueConcurrency: queueConcurrencyOf(input.queueConcurrency, env),
    completedRetentionSeconds: positiveInt('completedRetentionSeconds', input.completedRetentionSeconds, env, null, 86_400),
    outboxRetentionDays: positiveInt('outboxRetentionDays', input.outboxRetentionDays, env, null, 7),
    inboxRetentionDays: positiveInt('inboxRetentionDays', input.inboxRetentionDays, env, null, 30),
  };
  if (options.inboxRetentionDays * 86_400 <= options.completedRetentionSeconds * 2 || options.inboxRetentionDays <= options.outboxRetentionDays) {
    throw new Error('Bus: inboxRetentionDays must be far longer than completedRetentionSeconds and outboxRetentionDays (the inbox stops redeliveries)');
  }
  if (options.completedRetentionSeconds * 1000 <= options.reconcileAfterMs * 2) {
    throw new Error('Bus: completedRetentionSeconds must be far longer than reconcileAfterMs (the reconcile reads completed jobs)');
  }
  return options;
}

/** The BullMQ queue a consuming service reads. */
export function queueNameOf(service: ServiceName): string {
  return `events.${service}`;
}

/**
 * The Redis sorted set where consumers acknowledge a producer's events (issue 13 S1): member
 * `<event id>:<consumer>`, score the time. Written by the consumer before its job completes (and is
 * removed), read and emptied by the producer's reconcile.
 */
export function ackKeyOf(prefix: string, producer: ServiceName): string {
  return `${prefix}:bus-acks:${producer}`;
}

/** A member of {@link ackKeyOf}: one consumer done with one event. */
export function ackMemberOf(eventId: string, consumer: ServiceName): string {
  return `${eventId}:${consumer}`;
}

/** The PostgreSQL NOTIFY channel that wakes a schema's relay. */
export function notifyChannelOf(schema: string): string {
  return `hw_bus_${schema}`;
}

/** Options of `BusModule.forService` (Nest): the bus options plus what to start and which providers to use. */
export interface BusModuleOptions extends BusOptionsInput {
  /** Run the outbox relay in this process (default true). */
  relay?: boolean;
  /** Run the consumer worker in this process (default true). Handlers are validated either way. */
  worker?: boolean;
  /** Provider token of the clock (e.g. platform's `Clock`); default the system clock. */
  clock?: InjectionToken;
  /** Provider token of the DataSource; default TypeORM's `DataSource`. */
  dataSource?: InjectionToken;
}

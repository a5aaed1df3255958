import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue, type JobsOptions } from 'bullmq';
import type Redis from 'ioredis';
import type { PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { EVENT_CATALOGUE, consumersOf, type EventEnvelope, type EventName, type ServiceName } from '@homeward/domain';
import { BUS_DATA_SOURCE, BUS_OPTIONS, ackKeyOf, ackMemberOf, notifyChannelOf, queueNameOf, type BusOptions } from './bus.options';
import { busMetrics } from './bus.metrics';
import { escapeLiteral, inTransactionOpenedWith } from './opened-transaction';
import { closeRedis, createBusRedis } from './redis-connection';
import { busStatus, type BusStatus } from './bus-status';


/** How long a completed scheduled job (a due-date check, a push attempt) stays in Redis. */
export const SCHEDULED_COMPLETED_RETENTION_SECONDS = 3600;

interface OutboxRow {
  id: string;
  name: EventName;
  version: number;
  payload: unknown;
  occurred_at: Date;
  pending_consumers: string[] | null;
  attempts: number;
  /** Set on a scheduled job (issue 8 item 5): the BullMQ queue, the idempotent job id, the delay left. */
  job_queue?: string | null;
  job_id?: string | null;
  delay_ms?: number | null;
}

/** One entry of `Queue.addBulk`. */
interface BulkJob {
  name: string;
  data: unknown;
  opts: JobsOptions;
}

/** The settings a relay batch's transaction opens with (see OutboxRelay.takeStatement). */
export const RELAY_TAKE_SETTINGS = 'SET LOCAL synchronous_commit TO OFF; SET LOCAL enable_bitmapscan TO OFF;';

/** The catalogue's routes as two parallel arrays (event name → its consumers joined by ","), literals in the relay's UPDATE. */
function catalogueRoutes(): { names: string[]; consumers: string[] } {
  const names = Object.keys(EVENT_CATALOGUE) as EventName[];
  return { names, consumers: names.map((n) => consumersOf(n).join(',')) };
}

function routesSqlOf(routes: { names: string[]; consumers: string[] }): string {
  const array = (xs: string[]): string => `ARRAY[${xs.map(escapeLiteral).join(', ')}]::text[]`;
  return `${array(routes.names)}, ${array(routes.consumers)}`;
}

export interface ReconcileResult {
  checked: number;
  delivered: number;
  requeued: number;
}

/**
 * Moves committed outbox rows to BullMQ, one job per consuming service on queue `events.<service>`
 * with `jobId = event id`, and later confirms that every consumer completed it (see libs/bus/README.md):
 *
 * - relay: unrelayed rows in `seq` order, `FOR UPDATE SKIP LOCKED` (replicas share the work), add jobs,
 *   set `relayed_at` and `pending_consumers`.
 * - reconcile: rows relayed more than `reconcileAfterMs` ago and not yet delivered: ask BullMQ for each
 *   pending consumer's job state; `completed` → that consumer is done; job missing (Redis lost it) or
 *   `failed` → add it again; when no consumer is pending → `delivered_at`.
 *
 * Scheduled jobs (`EventPublisher.scheduleJob`, issue 8 item 5) are rows with `job_queue` set: the relay
 * adds each to that queue with its own job id (a retried relay adds nothing twice), delayed until its
 * `run_at`, and marks the row delivered at once (the consumer of a due-date job has its own net, such as
 * alerts' sweep, for a Redis that loses the delayed job).
 *
 * Runs on a timer (`relayIntervalMs`) and wakes early on the NOTIFY that `EventPublisher` sends.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private redis?: Redis;
  private readonly queues = new Map<string, Queue>();
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private listener?: PoolClient;
  /** Removes our handlers from a LISTEN client; present while we hold the client. */
  private readonly detach = new Map<PoolClient, () => void>();
  private lastPurge = 0;
  private lastReconcile = 0;
  /** The catalogue's routes as two text[] literals, the relay statement's `unnest` arguments. */
  private readonly routesSql = routesSqlOf(catalogueRoutes());

  constructor(
    @Inject(BUS_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(BUS_OPTIONS) private readonly options: BusOptions,
  ) {}

  private get table(): string {
    return `"${this.options.schema}".bus_outbox`;
  }

  /** Starts the relay loop (idempotent). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops the loop after the current batch, stops listening and closes its Redis connections. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = undefined;
    await this.unlisten();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.queues.clear();
    if (this.redis) await closeRedis(this.redis);
    this.redis = undefined;
  }

  /** One pass: relay everything pending, reconcile what is due, purge old delivered rows and old inbox rows. */
  async runOnce(): Promise<{ relayed: number } & ReconcileResult> {
    const relayed = await this.relayPending();
    const reconciled = await this.reconcile();
    await this.purgeDelivered();
    return { relayed, ...reconciled };
  }

  /**
   * Relays everything pending. Issue 13 S1: `relayLanes` batches at once (SKIP LOCKED gives each its own
   * rows), so one batch's PostgreSQL work overlaps another's BullMQ adds; within a batch the jobs keep `seq`
   * order. The other lanes start only when the first batch came back full: the usual pass after a commit has
   * one or two rows, and an empty batch is still two messages to PostgreSQL.
   */
  private async relayPending(): Promise<number> {
    const first = await this.relayBatch();
    if (first < this.options.batchSize) return first;
    const lane = async (): Promise<number> => {
      let relayed = 0;
      for (;;) {
        const n = await this.relayBatch();
        relayed += n;
        if (n < this.options.batchSize) return relayed;
      }
    };
    return first + (await Promise.all(Array.from({ length: this.options.relayLanes }, lane))).reduce((a, b) => a + b, 0);
  }

  /**
   * The loop's pass: relay what is pending at every wake-up, but reconcile at most once per
   * `relayIntervalMs` (issue 13 S1). Under load the NOTIFY of every commit wakes the relay, and a reconcile
   * that finds nothing due is still a transaction of three statements; idle, the loop wakes once per
   * interval and reconciles every time, as before.
   */
  private async loopPass(): Promise<void> {
    await this.relayPending();
    const now = Date.now();
    if (now - this.lastReconcile >= this.options.relayIntervalMs) {
      this.lastReconcile = now;
      await this.reconcile();
    }
    await this.purgeDelivered();
  }

  /**
   * The relay batch's opening (see relayBatch): two settings ({@link RELAY_TAKE_SETTINGS}), then the statement
   * that takes and marks a batch.
   *
   * - Losing the commit in a database crash only relays the rows again (job ids and inboxes absorb it), so it
   *   need not wait for the WAL flush.
   * - No bitmap scan: the batch must be read from `bus_outbox_unrelayed_idx` in `seq` order, stopping at the
   *   batch size. Without statistics of the table (a new deployment, a restore or pg_upgrade, a TRUNCATE, before
   *   autovacuum's first ANALYZE) the planner guesses a few hundred unrelayed rows and picks a bitmap scan plus
   *   a sort, which reads and sorts the WHOLE backlog for every batch: draining a backlog then costs the square
   *   of its size (issue 13 S1, measured in bench:bus: the first batch of a 20,000-row backlog took 14.8 ms, 6 of
   *   them reading and sorting all 20,000 rows; 9.4 ms with the index).
   * - The catalogue's routes are joined once per row (they were two correlated subqueries per row); route
   *   names are unique (the catalogue's keys), so the join never doubles a row.
   *
   * Plain SQL sent with START TRANSACTION (inTransactionOpenedWith): the routes are constants of the code, the
   * batch size a number.
   */
  takeStatement(): string {
    return `${RELAY_TAKE_SETTINGS} ${this.takeQuery()}`;
  }

  /** The statement of {@link takeStatement} without its settings (tests EXPLAIN it). */
  takeQuery(): string {
    return `WITH picked AS (
        SELECT id, name FROM ${this.table} WHERE relayed_at IS NULL ORDER BY seq LIMIT ${Number(this.options.batchSize)} FOR UPDATE SKIP LOCKED
      ), routes AS (
        SELECT * FROM unnest(${this.routesSql}) AS r(name, consumers)
      ), taken AS (
        UPDATE ${this.table} AS o SET relayed_at = now(), attempts = o.attempts + 1,
          pending_consumers = CASE WHEN o.job_queue IS NULL THEN coalesce(string_to_array(p.consumers, ','), '{}') ELSE '{}' END,
          delivered_at = CASE WHEN o.job_queue IS NOT NULL OR coalesce(p.consumers, '') = '' THEN now() END
        FROM (SELECT picked.id, routes.consumers FROM picked LEFT JOIN routes ON routes.name = picked.name) AS p
        WHERE o.id = p.id
        RETURNING o.id, o.seq, o.name, o.version, o.payload, o.occurred_at, o.job_queue, o.job_id,
          greatest(0, extract(epoch FROM o.run_at - clock_timestamp()) * 1000)::float8 AS delay_ms
      )
      SELECT * FROM taken ORDER BY seq`;
  }

  /**
   * Relays one batch of unrelayed rows; returns how many rows it took. Issue 13 S1: ONE statement takes the
   * batch (`FOR UPDATE SKIP LOCKED`) and marks it relayed with its pending consumers (the catalogue's routes
   * are constants in it), sent with START TRANSACTION in one round trip, then the jobs go to BullMQ with one
   * `addBulk` per queue, then COMMIT. It was a SELECT, then one `add` and one UPDATE per row and consumer:
   * 0.14–0.19 of raw addBulk.
   */
  async relayBatch(): Promise<number> {
    return inTransactionOpenedWith(this.dataSource, this.takeStatement(), async ([, , taken]) => {
      const rows = taken.rows as OutboxRow[];
      if (rows.length === 0) return 0;
      const jobs = new Map<string, BulkJob[]>();
      const add = (queue: string, job: BulkJob): void => {
        const list = jobs.get(queue);
        if (list) list.push(job);
        else jobs.set(queue, [job]);
      };
      for (const row of rows) {
        if (row.job_queue) add(row.job_queue, this.scheduledJobOf(row));
        // a name missing from the catalogue throws here (rollback), as it did before
        else for (const consumer of consumersOf(row.name)) add(queueNameOf(consumer), this.eventJobOf(row));
      }
      // Added before the commit: a crash in between only means the rows are relayed again (the job ids absorb it).
      await Promise.all([...jobs].map(([queue, list]) => this.queueNamed(queue).addBulk(list)));
      for (const row of rows) {
        if (row.job_queue) continue;
        for (const consumer of consumersOf(row.name)) busMetrics.relayed.inc({ service: this.options.service, event: row.name, consumer });
      }
      return rows.length;
    });
  }

  /**
   * Checks relayed-but-undelivered rows (see class doc). Issue 13 S1: a consumer acknowledges an event in
   * this producer's ack set in Redis (`ackKeyOf`) before its job completes and is removed, so one ZMSCORE
   * answers for the whole batch; only the unacknowledged ask BullMQ for their job state (all at once), and
   * the rows are marked with one UPDATE. An acknowledgement is removed once its row records it.
   */
  async reconcile(): Promise<ReconcileResult> {
    const result: ReconcileResult = { checked: 0, delivered: 0, requeued: 0 };
    const seen: string[] = [];
    await this.dataSource.transaction(async (manager) => {
      const rows: OutboxRow[] = await manager.query(
        `SELECT id, name, version, payload, occurred_at, pending_consumers, attempts FROM ${this.table}
         WHERE relayed_at IS NOT NULL AND delivered_at IS NULL AND job_queue IS NULL
           AND coalesce(checked_at, relayed_at) < now() - ($1::int * interval '1 millisecond')
         ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [this.options.reconcileAfterMs, this.options.batchSize],
      );
      if (rows.length === 0) return;
      const pairs = rows.flatMap((row) => ((row.pending_consumers ?? []) as ServiceName[]).map((consumer) => ({ row, consumer, member: ackMemberOf(row.id, consumer) })));
      const acked = await this.acknowledged(pairs.map((p) => p.member));
      const states = await Promise.all(pairs.map((p) => (acked.has(p.member) ? 'acknowledged' : this.queueOf(p.consumer).getJobState(p.row.id))));
      // A job that completed between the ZMSCORE and its state read is gone from BullMQ but acknowledged: read again.
      const late = await this.acknowledged(pairs.filter((_, i) => states[i] === 'unknown').map((p) => p.member));
      const still = new Map<string, string[]>(rows.map((r) => [r.id, []]));
      const requeued = new Set<string>();
      for (const [i, { row, consumer, member }] of pairs.entries()) {
        const state = states[i];
        // `completed`: a job kept by an older relay (removeOnComplete by age)
        if (state === 'acknowledged' || state === 'completed' || (state === 'unknown' && late.has(member))) {
          seen.push(member);
          continue;
        }
        still.get(row.id)?.push(consumer);
        if (state === 'unknown' || state === 'failed') {
          const queue = this.queueOf(consumer);
          if (state === 'failed') await queue.remove(row.id);
          this.logger.warn(`Re-relaying event ${row.name} ${row.id} to ${consumer}: job ${state === 'unknown' ? 'missing from Redis' : 'failed'}`);
          await this.enqueue(row, consumer);
          requeued.add(row.id);
        }
      }
      result.checked = rows.length;
      result.requeued = requeued.size;
      result.delivered = rows.filter((r) => still.get(r.id)?.length === 0).length;
      await manager.query(
        `UPDATE ${this.table} AS o SET checked_at = now(), pending_consumers = string_to_array(r.still, ','),
           attempts = o.attempts + r.requeued,
           delivered_at = CASE WHEN r.still = '' THEN now() END
         FROM unnest($1::uuid[], $2::text[], $3::int[]) AS r(id, still, requeued)
         WHERE o.id = r.id`,
        [rows.map((r) => r.id), rows.map((r) => (still.get(r.id) ?? []).join(',')), rows.map((r) => (requeued.has(r.id) ? 1 : 0))],
      );
    });
    // After the commit: the rows now record these consumers as done. A lost ZREM leaves an entry the age trim removes.
    await this.forgetAcknowledgements(seen);
    return result;
  }

  /** Pending outbox count and age, for health and metrics. */
  status(): Promise<BusStatus> {
    return busStatus(this.dataSource, this.options.schema);
  }

  /** Which of `members` this producer's ack set holds (one ZMSCORE). */
  private async acknowledged(members: string[]): Promise<Set<string>> {
    if (members.length === 0) return new Set();
    const scores = await this.connection().zmscore(ackKeyOf(this.options.prefix, this.options.service), ...members);
    return new Set(members.filter((_, i) => scores[i] !== null));
  }

  /** Removes recorded acknowledgements, and any older than the completed-job retention (never read: a replay, a re-delivery). */
  private async forgetAcknowledgements(members: string[]): Promise<void> {
    const key = ackKeyOf(this.options.prefix, this.options.service);
    const redis = this.connection();
    if (members.length > 0) await redis.zrem(key, ...members);
    await redis.zremrangebyscore(key, '-inf', Date.now() - this.options.completedRetentionSeconds * 1000);
  }

  /** The BullMQ job of an event for one consumer: `jobId = event id`. */
  private eventJobOf(row: OutboxRow): BulkJob {
    const envelope: EventEnvelope = {
      id: row.id,
      name: row.name,
      version: row.version,
      occurredAt: new Date(row.occurred_at).toISOString(),
      producer: this.options.service,
      payload: row.payload as EventEnvelope['payload'],
    };
    const opts: JobsOptions = {
      jobId: row.id,
      attempts: this.options.maxAttempts,
      backoff: { type: 'exponential', delay: this.options.backoffDelayMs },
      // Issue 13 S1: the consumer acknowledges in Redis before completing (see reconcile), so the job goes at once.
      removeOnComplete: true,
      // kept: the reconcile re-adds a job whose dead-letter write failed (state `failed`)
      removeOnFail: { age: this.options.completedRetentionSeconds },
    };
    return { name: row.name, data: envelope, opts };
  }

  /** A scheduled job: its own id (BullMQ ignores a second add while the job is kept), delayed to its time. */
  private scheduledJobOf(row: OutboxRow): BulkJob {
    const opts: JobsOptions = {
      jobId: row.job_id ?? row.id,
      delay: Math.round(Number(row.delay_ms ?? 0)),
      attempts: this.options.maxAttempts,
      backoff: { type: 'exponential', delay: this.options.backoffDelayMs },
      // Issue 13 S1: a completed scheduled job is kept only as long as a relay retry could add its job
      // id again (the row is marked in the same statement as it is taken): an hour, not a day of checks.
      removeOnComplete: { age: Math.min(SCHEDULED_COMPLETED_RETENTION_SECONDS, this.options.completedRetentionSeconds) },
      removeOnFail: { age: this.options.completedRetentionSeconds },
    };
    return { name: row.name, data: row.payload, opts };
  }

  private async enqueue(row: OutboxRow, consumer: ServiceName): Promise<void> {
    const job = this.eventJobOf(row);
    await this.queueOf(consumer).add(job.name, job.data, job.opts);
    busMetrics.relayed.inc({ service: this.options.service, event: row.name, consumer });
  }

  private queueOf(consumer: ServiceName): Queue {
    return this.queueNamed(queueNameOf(consumer));
  }

  private connection(): Redis {
    this.redis ??= createBusRedis(this.options.redisUrl, `bus-relay:${this.options.service}`);
    return this.redis;
  }

  private queueNamed(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection(), prefix: this.options.prefix });
      queue.on('error', (err) => this.logger.warn(`Queue ${name}: ${err.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  private async purgeDelivered(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurge < 10 * 60_000) return;
    this.lastPurge = now;
    await this.dataSource.query(`DELETE FROM ${this.table} WHERE delivered_at < now() - ($1::int * interval '1 day')`, [
      this.options.outboxRetentionDays,
    ]);
    // The inbox of this service's consumer (same schema): an event handled this long ago is never delivered again (issue 14 item 6).
    await this.dataSource.query(`DELETE FROM "${this.options.schema}".bus_inbox WHERE processed_at < now() - ($1::int * interval '1 day')`, [
      this.options.inboxRetentionDays,
    ]);
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.listen();
      try {
        await this.loopPass();
      } catch (err) {
        this.logger.error(`Outbox relay pass failed: ${(err as Error).message}`);
      }
      if (!this.running) break;
      await this.sleep(this.options.relayIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wakeUp = undefined;
        self.woken = false;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }

  /** LISTENs on the schema's channel with one pooled connection; a broken listener is re-made next pass. */
  private async listen(): Promise<void> {
    if (this.listener) return;
    const pool = (this.dataSource.driver as unknown as { master?: { connect(): Promise<PoolClient> } }).master;
    if (!pool?.connect) return;
    let client: PoolClient | undefined;
    try {
      client = await pool.connect();
      const c = client;
      const onNotification = (): void => this.wake();
      const onError = (err: Error): void => {
        this.logger.warn(`Outbox LISTEN connection lost: ${err.message}`);
        if (this.listener === c) this.listener = undefined;
        this.releaseListener(c, err);
      };
      c.on('notification', onNotification);
      c.on('error', onError);
      // Pooled clients are reused: our handlers must come off before the client goes back to the pool,
      // and a client must be released once only (an error after UNLISTEN/stop must not release it again).
      this.detach.set(c, () => {
        c.removeListener('notification', onNotification);
        c.removeListener('error', onError);
      });
      await c.query(`LISTEN "${notifyChannelOf(this.options.schema)}"`);
      this.listener = c;
    } catch (err) {
      this.logger.warn(`Outbox LISTEN failed, polling only: ${(err as Error).message}`);
      if (client) this.releaseListener(client, err as Error);
    }
  }

  private releaseListener(client: PoolClient, err?: Error): void {
    const detach = this.detach.get(client);
    if (!detach) return; // already released
    this.detach.delete(client);
    detach();
    client.release(err);
  }

  private async unlisten(): Promise<void> {
    const client = this.listener;
    this.listener = undefined;
    if (!client) return;
    try {
      await client.query('UNLISTEN *');
      this.releaseListener(client);
    } catch (err) {
      this.releaseListener(client, err as Error);
    }
  }
}

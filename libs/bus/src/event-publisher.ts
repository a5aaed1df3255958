import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_CATALOGUE, assertNoPii, type EventEnvelope, type EventName, type EventPayloads } from '@homeward/domain';
import { BUS_CLOCK, BUS_OPTIONS, notifyChannelOf, systemBusClock, type BusClock, type BusOptions } from './bus.options';
import { busMetrics } from './bus.metrics';
import type { ScheduledJob } from './scheduled-jobs';

/** Rows per INSERT of `publishMany` / `scheduleJobs` (PostgreSQL takes at most 65535 parameters). */
const ROWS_PER_STATEMENT = 1000;

/**
 * Writes events to the service's outbox in the caller's transaction (the transactional outbox):
 * the event exists exactly when the caller's changes commit. The relay moves it to BullMQ afterwards.
 * Delayed jobs go the same way (`scheduleJob`): the relay adds them to BullMQ after commit.
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
    const [envelope] = await this.publishMany(manager, name, [payload]);
    return envelope;
  }

  /**
   * A batch of events of one name in ONE multi-row INSERT (per 1000 events) and one NOTIFY, in the
   * caller's transaction. Every payload passes the same guard as `publish` before anything is written:
   * one payload with personal data refuses the whole batch.
   */
  async publishMany<N extends EventName>(manager: EntityManager, name: N, payloads: readonly EventPayloads[N][]): Promise<EventEnvelope<N>[]> {
    const entry = EVENT_CATALOGUE[name];
    if (!entry) throw new Error(`Bus: "${String(name)}" is not in the event catalogue`);
    this.assertTransaction(manager, `publish("${name}")`);
    for (const payload of payloads) assertNoPii(payload);
    if (payloads.length === 0) return [];
    const occurredAt = this.now().toISOString();
    const envelopes: EventEnvelope<N>[] = payloads.map((payload) => ({
      id: randomUUID(),
      name,
      version: entry.version,
      occurredAt,
      producer: this.options.service,
      payload,
    }));
    for (let i = 0; i < envelopes.length; i += ROWS_PER_STATEMENT) {
      const chunk = envelopes.slice(i, i + ROWS_PER_STATEMENT);
      const last = i + ROWS_PER_STATEMENT >= envelopes.length;
      await manager.query(
        this.withNotify(
          `INSERT INTO ${this.table} (id, name, version, payload, occurred_at)
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::jsonb[], $5::timestamptz[])`,
          last,
          6,
        ),
        [
          chunk.map((e) => e.id),
          chunk.map((e) => e.name),
          chunk.map((e) => e.version),
          chunk.map((e) => JSON.stringify(e.payload)),
          chunk.map((e) => e.occurredAt),
          ...this.notifyParams(last, envelopes[0].id),
        ],
      );
    }
    busMetrics.published.inc({ service: this.options.service, event: name }, envelopes.length);
    return envelopes;
  }

  /**
   * Schedules a delayed job in the caller's transaction (issue 8 item 5): an outbox row the relay turns
   * into a BullMQ job on `job.queue` with `job.jobId`, delayed until `job.runAt`, after commit only.
   * Returns the outbox row id.
   */
  async scheduleJob(manager: EntityManager, job: ScheduledJob): Promise<string> {
    const [id] = await this.scheduleJobs(manager, [job]);
    return id;
  }

  /** Several delayed jobs in one INSERT (see `scheduleJob`). */
  async scheduleJobs(manager: EntityManager, jobs: readonly ScheduledJob[]): Promise<string[]> {
    this.assertTransaction(manager, 'scheduleJob');
    for (const job of jobs) {
      if (!job.queue || !job.name) throw new Error('Bus: a scheduled job needs a queue and a name');
      if (!job.jobId || job.jobId.includes(':') || /^\d+$/.test(job.jobId)) {
        throw new Error(`Bus: job id "${job.jobId}" must be a non-numeric string without ":" (BullMQ custom id)`);
      }
      if (!(job.runAt instanceof Date) || Number.isNaN(job.runAt.getTime())) throw new Error(`Bus: job ${job.jobId} has no valid runAt`);
      assertNoPii(job.data);
    }
    if (jobs.length === 0) return [];
    const now = this.now();
    const ids = jobs.map(() => randomUUID());
    for (let i = 0; i < jobs.length; i += ROWS_PER_STATEMENT) {
      const chunk = jobs.slice(i, i + ROWS_PER_STATEMENT);
      // run_at is stored on the database's clock: now() + the delay by the bus clock (movable in tests).
      const last = i + ROWS_PER_STATEMENT >= jobs.length;
      await manager.query(
        this.withNotify(
          `INSERT INTO ${this.table} (id, name, version, payload, occurred_at, job_queue, job_id, run_at)
           SELECT id, name, 1, payload, $5::timestamptz, queue, job_id, now() + delay_ms * interval '1 millisecond'
           FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[], $6::text[], $7::float8[]) AS j(id, name, payload, queue, job_id, delay_ms)`,
          last,
          8,
        ),
        [
          ids.slice(i, i + ROWS_PER_STATEMENT),
          chunk.map((j) => j.name),
          chunk.map((j) => JSON.stringify(j.data)),
          chunk.map((j) => j.queue),
          now.toISOString(),
          chunk.map((j) => j.jobId),
          chunk.map((j) => Math.max(0, j.runAt.getTime() - now.getTime())),
          ...this.notifyParams(last, ids[0]),
        ],
      );
    }
    return ids;
  }

  private get table(): string {
    return `"${this.options.schema}".bus_outbox`;
  }

  private now(): Date {
    return (this.clock ?? systemBusClock).now();
  }

  private assertTransaction(manager: EntityManager, what: string): void {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Bus: ${what} needs the EntityManager of an open transaction (dataSource.transaction(manager => ...))`);
    }
  }

  /**
   * The last INSERT of a publish also wakes the relay (issue 13 S2): `pg_notify` rides in the same
   * statement (a data-modifying CTE runs whether or not it is read), one statement fewer in every
   * publishing transaction. PostgreSQL delivers the notification at COMMIT, as before.
   */
  private withNotify(insert: string, last: boolean, firstParam: number): string {
    return last ? `WITH inserted AS (${insert}) SELECT pg_notify($${firstParam}, $${firstParam + 1})` : insert;
  }

  private notifyParams(last: boolean, id: string): string[] {
    return last ? [notifyChannelOf(this.options.schema), id] : [];
  }
}

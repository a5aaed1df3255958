import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type Redis from 'ioredis';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { EventEnvelope } from '@homeward/domain';
import { assertSchemaName, queueNameOf, type BusOptions } from './bus.options';
import { closeRedis, createBusRedis } from './redis-connection';

/** How a dead letter was resolved (issue 14 item 6). */
export type DeadLetterResolution = 'REPLAYED' | 'DISCARDED';
export const DEAD_LETTER_RESOLUTIONS: readonly DeadLetterResolution[] = ['REPLAYED', 'DISCARDED'];

/**
 * Adds the resolved state to a schema's `bus_dead_letters` (resolved_at, resolved_by, resolved_how) and an
 * index for the retention purge. Call it from one migration per service that has bus tables; idempotent.
 */
export async function addDeadLetterResolution(queryRunner: QueryRunner, schema: string): Promise<void> {
  assertSchemaName(schema);
  const t = `"${schema}".bus_dead_letters`;
  await queryRunner.query(`ALTER TABLE ${t}
    ADD COLUMN IF NOT EXISTS resolved_at timestamptz NULL,
    ADD COLUMN IF NOT EXISTS resolved_by text NULL,
    ADD COLUMN IF NOT EXISTS resolved_how text NULL`);
  await queryRunner.query(`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS bus_dead_letters_resolution_ck`);
  await queryRunner.query(`ALTER TABLE ${t} ADD CONSTRAINT bus_dead_letters_resolution_ck CHECK (
    (resolved_at IS NULL AND resolved_by IS NULL AND resolved_how IS NULL)
    OR (resolved_at IS NOT NULL AND resolved_by IS NOT NULL AND resolved_how IN ('REPLAYED', 'DISCARDED')))`);
  await queryRunner.query(`CREATE INDEX IF NOT EXISTS bus_dead_letters_resolved_idx ON ${t} (resolved_at) WHERE resolved_at IS NOT NULL`);
}

/** The `down` of {@link addDeadLetterResolution}. */
export async function dropDeadLetterResolution(queryRunner: QueryRunner, schema: string): Promise<void> {
  assertSchemaName(schema);
  const t = `"${schema}".bus_dead_letters`;
  await queryRunner.query(`DROP INDEX IF EXISTS "${schema}".bus_dead_letters_resolved_idx`);
  await queryRunner.query(`ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS bus_dead_letters_resolution_ck`);
  await queryRunner.query(`ALTER TABLE ${t} DROP COLUMN IF EXISTS resolved_how, DROP COLUMN IF EXISTS resolved_by, DROP COLUMN IF EXISTS resolved_at`);
}

/** One dead letter as operators see it (the payload stays in the database: it may carry person keys). */
export interface DeadLetterView {
  id: string;
  eventId: string;
  eventName: string;
  handler: string;
  error: string;
  attempts: number;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  resolvedHow: DeadLetterResolution | null;
}

export type DeadLetterErrorCode = 'DEAD_LETTER_NOT_FOUND' | 'DEAD_LETTER_ALREADY_RESOLVED' | 'DEAD_LETTER_BAD_RESOLUTION';

/** A refused dead-letter operation; `message` is English + Chinese. */
export class DeadLetterError extends Error {
  constructor(
    readonly code: DeadLetterErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DeadLetterError';
  }
}

interface DeadLetterRow {
  id: string;
  event_id: string;
  event_name: string;
  handler: string;
  error: string;
  attempts: number;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  resolved_how: DeadLetterResolution | null;
  payload?: EventEnvelope;
}

function viewOf(r: DeadLetterRow): DeadLetterView {
  return {
    id: r.id,
    eventId: r.event_id,
    eventName: r.event_name,
    handler: r.handler,
    // the first line (name: message); the stack stays in the row
    error: r.error.split('\n')[0].slice(0, 500),
    attempts: r.attempts,
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolvedHow: r.resolved_how,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = 'id, event_id, event_name, handler, error, attempts, created_at, resolved_at, resolved_by, resolved_how';

/** `BUS_DEAD_LETTER_RETENTION_DAYS` (default 30): resolved dead letters older than this are purged. */
export function deadLetterRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.BUS_DEAD_LETTER_RETENTION_DAYS;
  if (raw === undefined || raw === '') return 30;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`BUS_DEAD_LETTER_RETENTION_DAYS must be a positive integer, got "${raw}"`);
  return n;
}

/**
 * The dead letters of one service's consumer (issue 14 item 6): list, replay (the envelope goes back on the
 * service's queue for the one handler that failed), discard, and the retention purge of resolved ones.
 */
export class DeadLetters {
  private readonly logger = new Logger('DeadLetters');
  private readonly table: string;
  private redis?: Redis;
  private queue?: Queue;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: Pick<BusOptions, 'service' | 'schema' | 'redisUrl' | 'prefix' | 'maxAttempts' | 'backoffDelayMs' | 'completedRetentionSeconds'>,
  ) {
    assertSchemaName(options.schema);
    this.table = `"${options.schema}".bus_dead_letters`;
  }

  /** Open (unresolved) dead letters first by age, or every one with `includeResolved`. */
  async list(opts: { includeResolved?: boolean; limit?: number } = {}): Promise<DeadLetterView[]> {
    const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
    const rows = (await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${this.table} ${opts.includeResolved ? '' : 'WHERE resolved_at IS NULL'} ORDER BY created_at, id LIMIT $1`,
      [limit],
    )) as DeadLetterRow[];
    return rows.map(viewOf);
  }

  /** The open dead letter of one event in one handler, if any (AL-7: an operations alert names it so). */
  async findOpen(eventId: string, handler: string): Promise<DeadLetterView | null> {
    if (!UUID.test(eventId)) return null;
    const [row] = (await this.dataSource.query(`SELECT ${COLUMNS} FROM ${this.table} WHERE event_id = $1 AND handler = $2 AND resolved_at IS NULL`, [eventId, handler])) as DeadLetterRow[];
    return row ? viewOf(row) : null;
  }

  async openCount(): Promise<number> {
    const [row] = (await this.dataSource.query(`SELECT count(*)::int AS n FROM ${this.table} WHERE resolved_at IS NULL`)) as { n: number }[];
    return row.n;
  }

  /**
   * Resolves one open dead letter. REPLAYED: in one transaction the row is marked, the handler's inbox row is
   * removed and the envelope is added to BullMQ (before commit: if Redis refuses, nothing changes; if the job
   * runs before the commit, its inbox insert waits on the removed row and then handles it). A replay that fails
   * every attempt again reopens the dead letter. `record` runs in the same transaction (the audit row).
   */
  async resolve(
    id: string,
    how: DeadLetterResolution,
    by: string,
    record?: (manager: EntityManager, letter: DeadLetterView) => Promise<void>,
  ): Promise<DeadLetterView> {
    if (!DEAD_LETTER_RESOLUTIONS.includes(how)) {
      throw new DeadLetterError('DEAD_LETTER_BAD_RESOLUTION', `Resolution must be REPLAYED or DISCARDED / 处理方式必须为重放或丢弃`);
    }
    if (!UUID.test(id)) throw new DeadLetterError('DEAD_LETTER_NOT_FOUND', `No dead letter ${id.slice(0, 40)} / 未找到该死信`);
    return this.dataSource.transaction(async (manager) => {
      const [row] = (await manager.query(`SELECT ${COLUMNS}, payload FROM ${this.table} WHERE id = $1 FOR UPDATE`, [id])) as DeadLetterRow[];
      if (!row) throw new DeadLetterError('DEAD_LETTER_NOT_FOUND', `No dead letter ${id} / 未找到该死信`);
      if (row.resolved_at) {
        throw new DeadLetterError(
          'DEAD_LETTER_ALREADY_RESOLVED',
          `Dead letter ${id} was already resolved (${row.resolved_how}) / 该死信已处理（${row.resolved_how === 'REPLAYED' ? '已重放' : '已丢弃'}）`,
        );
      }
      await manager.query(`UPDATE ${this.table} SET resolved_at = now(), resolved_by = $2, resolved_how = $3 WHERE id = $1`, [id, by.slice(0, 200), how]);
      const [updated] = (await manager.query(`SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1`, [id])) as DeadLetterRow[];
      const letter = viewOf(updated);
      if (record) await record(manager, letter);
      if (how === 'REPLAYED') {
        await manager.query(`DELETE FROM "${this.options.schema}".bus_inbox WHERE event_id = $1 AND handler = $2`, [row.event_id, row.handler]);
        await this.enqueue(row, id);
      }
      this.logger.log(`Dead letter ${id} (${row.event_name} in ${row.handler}) ${how} by ${by}`);
      return letter;
    });
  }

  /** Deletes resolved dead letters resolved more than `olderThanDays` ago; returns how many. */
  async purgeResolved(olderThanDays: number): Promise<number> {
    const [{ n }] = (await this.dataSource.query(
      `WITH gone AS (DELETE FROM ${this.table} WHERE resolved_at IS NOT NULL AND resolved_at < now() - ($1::int * interval '1 day') RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [olderThanDays],
    )) as { n: number }[];
    return n;
  }

  async close(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
    if (this.redis) await closeRedis(this.redis);
    this.queue = undefined;
    this.redis = undefined;
  }

  private async enqueue(row: DeadLetterRow, deadLetterId: string): Promise<void> {
    if (!row.payload) throw new Error(`dead letter ${deadLetterId} has no envelope`);
    if (!this.queue) {
      this.redis = createBusRedis(this.options.redisUrl, `bus-dead-letters:${this.options.service}`);
      this.queue = new Queue(queueNameOf(this.options.service), { connection: this.redis, prefix: this.options.prefix });
      this.queue.on('error', (err) => this.logger.warn(`Queue ${queueNameOf(this.options.service)}: ${err.message}`));
    }
    await this.queue.add(row.event_name, row.payload, {
      // one job per replay; the inbox keeps the effect single whatever BullMQ does
      jobId: `replay-${deadLetterId}-${Date.now()}`,
      attempts: this.options.maxAttempts,
      backoff: { type: 'exponential', delay: this.options.backoffDelayMs },
      removeOnComplete: { age: this.options.completedRetentionSeconds },
      removeOnFail: { age: this.options.completedRetentionSeconds },
    });
  }
}

/**
 * The retention job of resolved dead letters: a purge shortly after start and every `everyMs` (default 10 min),
 * like the outbox's. Every replica may run it (the DELETE is idempotent).
 */
export class DeadLetterRetention {
  private readonly logger = new Logger('DeadLetterRetention');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly retentionDays: number,
    private readonly everyMs = 10 * 60_000,
  ) {}

  start(firstAfterMs = 5_000): void {
    if (this.timer) return;
    const tick = (): void => {
      this.running = this.deadLetters
        .purgeResolved(this.retentionDays)
        .then((n) => {
          if (n > 0) this.logger.log(`Purged ${n} resolved dead letters older than ${this.retentionDays} days`);
        })
        .catch((err: Error) => this.logger.warn(`Dead-letter purge failed (next run in ${Math.round(this.everyMs / 1000)} s): ${err.message}`));
      this.timer = setTimeout(tick, this.everyMs);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, firstAfterMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

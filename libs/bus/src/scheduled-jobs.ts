import type { QueryRunner } from 'typeorm';
import { assertSchemaName } from './bus.options';

/**
 * A delayed job written to the outbox in the caller's transaction (issue 8 item 5): the relay adds it
 * to BullMQ only after that transaction commits, so a job never runs before the rows it reads exist,
 * and a rolled-back transaction leaves no job.
 */
export interface ScheduledJob {
  /** The BullMQ queue of a {@link BusJobs} processor, e.g. `alerts.deadlines`. */
  queue: string;
  /** Job name the processor switches on. */
  name: string;
  /** Job data (no personal data: the catalogue's guard applies as to event payloads). */
  data: Record<string, unknown>;
  /**
   * Idempotent job id: the relay adds the job with it, so a relay retry (or a second replica) does not
   * double the job. Include the due time when a re-arm to another time must make a new job.
   */
  jobId: string;
  /** When the job is due, by the bus clock (a movable clock in tests). */
  runAt: Date;
}

/**
 * Adds the columns of scheduled jobs to a service's `bus_outbox` (idempotent). A row with `job_queue`
 * set is a job, not an event: the relay adds it to that queue with `job_id`, delayed until `run_at`.
 */
export async function addScheduledJobColumns(queryRunner: QueryRunner, schema: string): Promise<void> {
  assertSchemaName(schema);
  const s = `"${schema}"`;
  await queryRunner.query(`ALTER TABLE ${s}.bus_outbox
    ADD COLUMN IF NOT EXISTS job_queue text NULL,
    ADD COLUMN IF NOT EXISTS job_id text NULL,
    ADD COLUMN IF NOT EXISTS run_at timestamptz NULL`);
}

/** The `down` of {@link addScheduledJobColumns}. */
export async function dropScheduledJobColumns(queryRunner: QueryRunner, schema: string): Promise<void> {
  assertSchemaName(schema);
  const s = `"${schema}"`;
  await queryRunner.query(`DELETE FROM ${s}.bus_outbox WHERE job_queue IS NOT NULL`);
  await queryRunner.query(`ALTER TABLE ${s}.bus_outbox DROP COLUMN IF EXISTS run_at, DROP COLUMN IF EXISTS job_id, DROP COLUMN IF EXISTS job_queue`);
}

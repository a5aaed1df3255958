import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { BusJobs, EventPublisher, type BusJobHandler, type ScheduledJob } from '@homeward/bus';
import { Clock } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { DeadlinesService } from './deadlines.service';

export const DEADLINES_QUEUE = 'alerts.deadlines';
const SWEEP_SCHEDULER_ID = 'deadline-sweep';
const REFILL_SCHEDULER_ID = 'deadline-refill';
/** Watches per refill transaction (and per outbox INSERT of their jobs). */
const REFILL_BATCH = 1000;

/** The idempotent job id of a watch's check at `dueAt`: a re-arm to another time is another job. */
export function deadlineJobId(watchId: string, dueAt: Date): string {
  return `watch-${watchId}-${dueAt.getTime()}`;
}

/**
 * Jobs of the due-date rules, on the bus's job facility (issue 8 item 5):
 *
 * - a delayed check per watch and due time, written to the outbox in the caller's transaction and added
 *   to BullMQ by the relay after commit (so it never runs before its watch exists) — issue 13: only when
 *   the due time is within ALERT_JOB_HORIZON_HOURS of the clock, so Redis holds about a day's checks
 *   rather than one per open case; the watch notes the due time its check was written for
 *   (`check_due_at`);
 * - the refill (job scheduler `deadline-refill`, every hour, at most a quarter of the horizon): writes
 *   the checks of the pending watches that came within the horizon and have none yet;
 * - the sweep (job scheduler `deadline-sweep`, every ALERT_SWEEP_INTERVAL_SECONDS): raises every due
 *   watch from PostgreSQL alone — the net for a check Redis lost (or one not written yet).
 */
@Injectable()
export class DeadlineScheduler {
  private readonly horizonMs: number;

  constructor(
    jobs: BusJobs,
    private readonly deadlines: DeadlinesService,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AlertsConfig) config: AlertsConfig,
  ) {
    this.horizonMs = config.ALERT_JOB_HORIZON_HOURS * 3_600_000;
    jobs.process(DEADLINES_QUEUE, (job) => this.process(job), { concurrency: 4 });
    jobs.every({
      queue: DEADLINES_QUEUE,
      schedulerId: SWEEP_SCHEDULER_ID,
      jobName: 'sweep',
      everyMs: config.ALERT_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
    jobs.every({
      queue: DEADLINES_QUEUE,
      schedulerId: REFILL_SCHEDULER_ID,
      jobName: 'refill',
      everyMs: Math.min(3_600_000, this.horizonMs / 4),
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }

  /**
   * Schedules the check of one watch at its due time (by the injected clock), in the caller's
   * transaction, when that time is within the horizon; a later one is left to the refill. Returns
   * whether it wrote the job.
   */
  async schedule(manager: EntityManager, watchId: string, dueAt: Date): Promise<boolean> {
    if (dueAt.getTime() > this.horizonEnd().getTime()) return false;
    await this.publisher.scheduleJob(manager, this.checkJob(watchId, dueAt));
    await this.deadlines.noteCheckScheduled(manager, watchId, dueAt);
    return true;
  }

  /**
   * A watch whose due time moved (issue 7 item 10): a check at the new time (within the horizon, else
   * by the refill). The check at the old time (its job id carries that time) finds the watch not due
   * and does nothing.
   */
  async reschedule(manager: EntityManager, watchId: string, dueAt: Date): Promise<boolean> {
    return this.schedule(manager, watchId, dueAt);
  }

  /**
   * The refill: writes the checks of pending watches due within the horizon that have none at their
   * due time yet, REFILL_BATCH per transaction; returns how many it wrote.
   */
  async refill(): Promise<number> {
    let written = 0;
    for (;;) {
      const n = await this.dataSource.transaction(async (manager) => {
        const taken = await this.deadlines.takeUnscheduled(manager, this.horizonEnd(), REFILL_BATCH);
        await this.publisher.scheduleJobs(manager, taken.map((w) => this.checkJob(w.id, w.dueAt)));
        return taken.length;
      });
      written += n;
      if (n < REFILL_BATCH) return written;
    }
  }

  private horizonEnd(): Date {
    return new Date(this.clock.now().getTime() + this.horizonMs);
  }

  private checkJob(watchId: string, dueAt: Date): ScheduledJob {
    return { queue: DEADLINES_QUEUE, name: 'check', data: { watchId }, jobId: deadlineJobId(watchId, dueAt), runAt: dueAt };
  }

  private readonly process: BusJobHandler = async (job) => {
    if (job.name === 'sweep') return this.deadlines.sweep();
    if (job.name === 'refill') return this.refill();
    if (job.name === 'check') {
      // Relayed after the watch's transaction committed: 'missing' means deleted since, nothing to retry.
      // 'not-due': the clock was moved back, or the watch was re-armed later (its own job checks it then).
      return this.deadlines.check((job.data as { watchId: string }).watchId);
    }
    throw new Error(`unknown deadline job ${job.name}`);
  };
}

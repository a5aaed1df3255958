import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { BusJobs, EventPublisher, type BusJobHandler } from '@homeward/bus';
import { AlertsConfig } from '../config';
import { DeadlinesService } from './deadlines.service';

export const DEADLINES_QUEUE = 'alerts.deadlines';
const SWEEP_SCHEDULER_ID = 'deadline-sweep';

/** The idempotent job id of a watch's check at `dueAt`: a re-arm to another time is another job. */
export function deadlineJobId(watchId: string, dueAt: Date): string {
  return `watch-${watchId}-${dueAt.getTime()}`;
}

/**
 * Jobs of the due-date rules, on the bus's job facility (issue 8 item 5): one delayed job per watch
 * and due time, written to the outbox in the handler's transaction and added to BullMQ by the relay
 * after commit (so it never runs before its watch exists), and a job scheduler that sweeps for due
 * watches every ALERT_SWEEP_INTERVAL_SECONDS (the net for a delayed job Redis lost).
 */
@Injectable()
export class DeadlineScheduler {
  constructor(
    jobs: BusJobs,
    private readonly deadlines: DeadlinesService,
    private readonly publisher: EventPublisher,
    @Inject(AlertsConfig) config: AlertsConfig,
  ) {
    jobs.process(DEADLINES_QUEUE, (job) => this.process(job), { concurrency: 4 });
    jobs.every({
      queue: DEADLINES_QUEUE,
      schedulerId: SWEEP_SCHEDULER_ID,
      jobName: 'sweep',
      everyMs: config.ALERT_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }

  /** Schedules the check of one watch at its due time (by the injected clock), in the caller's transaction. */
  async schedule(manager: EntityManager, watchId: string, dueAt: Date): Promise<void> {
    await this.publisher.scheduleJob(manager, {
      queue: DEADLINES_QUEUE,
      name: 'check',
      data: { watchId },
      jobId: deadlineJobId(watchId, dueAt),
      runAt: dueAt,
    });
  }

  /**
   * A watch whose due time moved (issue 7 item 10): a check at the new time. The check at the old
   * time (its job id carries that time) finds the watch not due and does nothing.
   */
  async reschedule(manager: EntityManager, watchId: string, dueAt: Date): Promise<void> {
    await this.schedule(manager, watchId, dueAt);
  }

  private readonly process: BusJobHandler = async (job) => {
    if (job.name === 'sweep') return this.deadlines.sweep();
    if (job.name === 'check') {
      // Relayed after the watch's transaction committed: 'missing' means deleted since, nothing to retry.
      // 'not-due': the clock was moved back, or the watch was re-armed later (its own job checks it then).
      return this.deadlines.check((job.data as { watchId: string }).watchId);
    }
    throw new Error(`unknown deadline job ${job.name}`);
  };
}

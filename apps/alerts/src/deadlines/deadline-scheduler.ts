import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { KeptJobScheduler, drainWorker, registerSchedulerReadiness } from '@homeward/bus';
import { Clock, ReadinessChecks } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { DeadlinesService } from './deadlines.service';

const QUEUE = 'alerts.deadlines';
const SWEEP_SCHEDULER_ID = 'deadline-sweep';

/**
 * BullMQ side of the due-date rules: one delayed job per watch (fixed job id, so scheduling twice is
 * one job) and a job scheduler that sweeps for due watches every ALERT_SWEEP_INTERVAL_SECONDS.
 */
@Injectable()
export class DeadlineScheduler implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeadlineScheduler.name);
  private readonly connection: IORedis;
  private readonly queue: Queue;
  private worker?: Worker;
  private workerConnection?: IORedis;
  private sweepScheduler?: KeptJobScheduler;

  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly clock: Clock,
    @Inject(AlertsConfig) private readonly config: AlertsConfig,
    private readonly readiness: ReadinessChecks,
  ) {
    this.connection = new IORedis(config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: config.REDIS_PREFIX });
  }

  async onApplicationBootstrap(): Promise<void> {
    // Re-registered when Redis comes back or loses it (issue 14 item 3); readiness reports it missing.
    this.sweepScheduler = new KeptJobScheduler({
      queue: this.queue,
      connection: this.connection,
      schedulerId: SWEEP_SCHEDULER_ID,
      everyMs: this.config.ALERT_SWEEP_INTERVAL_SECONDS * 1000,
      jobName: 'sweep',
      verifyEveryMs: this.config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
    await this.sweepScheduler.start();
    registerSchedulerReadiness(this.readiness, this.sweepScheduler);
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.worker = new Worker(QUEUE, (job) => this.process(job), {
      connection: this.workerConnection,
      prefix: this.config.REDIS_PREFIX,
      concurrency: 4,
    });
    this.worker.on('failed', (job, err) => this.logger.error(`deadline job ${job?.id} failed: ${err.message}`));
  }

  /** Graceful stop, first step (issue 14 item 7): no new job; the running ones finish before connections close. */
  async onModuleDestroy(): Promise<void> {
    await drainWorker(this.worker, 'deadline jobs');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.sweepScheduler?.stop();
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  /** Schedules the check of one watch at its due time (by the injected clock). */
  async schedule(watchId: string, dueAt: Date): Promise<void> {
    const delay = Math.max(0, dueAt.getTime() - this.clock.now().getTime());
    await this.queue.add('check', { watchId }, { jobId: `watch-${watchId}`, delay, attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: 1000 });
  }

  /** A watch whose due time moved (issue 7 item 10): the delayed check at the old time is dropped and one at the new time added. */
  async reschedule(watchId: string, dueAt: Date): Promise<void> {
    const job = await this.queue.getJob(`watch-${watchId}`);
    if (job && (await job.isDelayed())) await job.remove().catch(() => undefined);
    await this.schedule(watchId, dueAt);
  }

  private async process(job: Job): Promise<unknown> {
    if (job.name === 'sweep') return this.deadlines.sweep();
    if (job.name === 'check') {
      const watchId = (job.data as { watchId: string }).watchId;
      const outcome = await this.deadlines.check(watchId);
      // The job is added inside the transaction that writes the watch: a job due at once can run before
      // that commit. Retrying (with backoff) finds the watch once it is committed; the sweep is the net.
      if (outcome === 'missing') throw new Error(`watch ${watchId} not found (not committed yet?)`);
      // 'not-due': the clock was moved back or the job ran early; the sweep catches it when due.
      return outcome;
    }
    throw new Error(`unknown deadline job ${job.name}`);
  }
}

import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { drainWorker } from './drain';
import { KeptJobScheduler, ReadinessRegistry, registerSchedulerReadiness } from './job-scheduler-keeper';

export interface PeriodicJobOptions {
  /** BullMQ queue name, e.g. `correction.sanctions`. */
  queue: string;
  /** Fixed scheduler id: one run at a time across replicas. */
  schedulerId: string;
  jobName: string;
  everyMs: number;
  /** How often the scheduler's presence in Redis is checked (issue 14 item 3). */
  verifyEveryMs: number;
  redisUrl: string;
  prefix: string;
  /** What one run does. */
  run: () => Promise<unknown>;
}

/**
 * A job that runs every `everyMs` in one replica at a time: a BullMQ queue with a KeptJobScheduler
 * (re-registered after Redis loss, reported by readiness) and a worker of concurrency 1, drained on
 * a graceful stop (issue 14 item 7). Call `start` on bootstrap, `drain` in onModuleDestroy and
 * `close` before shutdown.
 */
export class PeriodicJob {
  private readonly logger: Logger;
  private connection?: IORedis;
  private workerConnection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;
  private scheduler?: KeptJobScheduler;

  constructor(private readonly options: PeriodicJobOptions) {
    this.logger = new Logger(`PeriodicJob:${options.schedulerId}`);
  }

  async start(readiness: ReadinessRegistry): Promise<void> {
    const o = this.options;
    this.connection = new IORedis(o.redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue(o.queue, { connection: this.connection, prefix: o.prefix });
    this.scheduler = new KeptJobScheduler({
      queue: this.queue,
      connection: this.connection,
      schedulerId: o.schedulerId,
      everyMs: o.everyMs,
      jobName: o.jobName,
      verifyEveryMs: o.verifyEveryMs,
    });
    await this.scheduler.start();
    registerSchedulerReadiness(readiness, this.scheduler);
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.worker = new Worker(o.queue, async () => o.run(), { connection: this.workerConnection, prefix: o.prefix, concurrency: 1 });
    this.worker.on('failed', (job, err) => this.logger.error(`${o.jobName} ${job?.id} failed: ${err.message}`));
  }

  /** Graceful stop, first step: no new run; the running one finishes (bounded) before connections close. */
  drain(): Promise<void> {
    return drainWorker(this.worker, this.options.jobName);
  }

  async close(): Promise<void> {
    this.scheduler?.stop();
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.connection?.disconnect();
  }
}

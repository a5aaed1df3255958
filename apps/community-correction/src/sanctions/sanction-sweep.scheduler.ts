import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { KeptJobScheduler, drainWorker, registerSchedulerReadiness } from '@homeward/bus';
import { ReadinessChecks } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { SanctionsService } from './sanctions.service';

const QUEUE = 'correction.sanctions';
const SCHEDULER_ID = 'sanction-ladder-sweep';

/**
 * CC-11 as time passes: a BullMQ job scheduler runs SanctionsService.sweep every
 * SANCTION_SWEEP_INTERVAL_SECONDS (one job at a time across replicas: fixed scheduler id), kept
 * through Redis loss like the other schedulers (issue 14 item 3). The sweep reads PostgreSQL only, so
 * a lost run is made good by the next.
 */
@Injectable()
export class SanctionSweepScheduler implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(SanctionSweepScheduler.name);
  private connection?: IORedis;
  private workerConnection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;
  private scheduler?: KeptJobScheduler;

  constructor(
    private readonly sanctions: SanctionsService,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
    private readonly readiness: ReadinessChecks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: this.config.REDIS_PREFIX });
    this.scheduler = new KeptJobScheduler({
      queue: this.queue,
      connection: this.connection,
      schedulerId: SCHEDULER_ID,
      everyMs: this.config.SANCTION_SWEEP_INTERVAL_SECONDS * 1000,
      jobName: 'sanction-sweep',
      verifyEveryMs: this.config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
    await this.scheduler.start();
    registerSchedulerReadiness(this.readiness, this.scheduler);
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.worker = new Worker(QUEUE, async () => this.sanctions.sweep(), {
      connection: this.workerConnection,
      prefix: this.config.REDIS_PREFIX,
      concurrency: 1,
    });
    this.worker.on('failed', (job, err) => this.logger.error(`sanction sweep ${job?.id} failed: ${err.message}`));
  }

  /** Graceful stop (issue 14 item 7): no new job; a running sweep finishes before connections close. */
  async onModuleDestroy(): Promise<void> {
    await drainWorker(this.worker, 'sanction sweep');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler?.stop();
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.connection?.disconnect();
  }
}

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { KeptJobScheduler, drainWorker, registerSchedulerReadiness } from '@homeward/bus';
import { ReadinessChecks } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { MonitoringService } from './monitoring.service';

const QUEUE = 'correction.monitoring';
const SCHEDULER_ID = 'device-silent-check';

/**
 * CC-12 device silent: a BullMQ job scheduler runs MonitoringService.checkSilentDevices every
 * MONITORING_SILENT_CHECK_SECONDS (one job at a time across replicas: fixed scheduler id).
 */
@Injectable()
export class SilentDeviceScheduler implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(SilentDeviceScheduler.name);
  private connection?: IORedis;
  private workerConnection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;
  private scheduler?: KeptJobScheduler;

  constructor(
    private readonly monitoring: MonitoringService,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
    private readonly readiness: ReadinessChecks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: this.config.REDIS_PREFIX });
    // Re-registered when Redis comes back or loses it (issue 14 item 3); readiness reports it missing.
    this.scheduler = new KeptJobScheduler({
      queue: this.queue,
      connection: this.connection,
      schedulerId: SCHEDULER_ID,
      everyMs: this.config.MONITORING_SILENT_CHECK_SECONDS * 1000,
      jobName: 'silent-check',
      verifyEveryMs: this.config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
    await this.scheduler.start();
    registerSchedulerReadiness(this.readiness, this.scheduler);
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.worker = new Worker(QUEUE, async () => this.monitoring.checkSilentDevices(), {
      connection: this.workerConnection,
      prefix: this.config.REDIS_PREFIX,
      concurrency: 1,
    });
    this.worker.on('failed', (job, err) => this.logger.error(`silent-device check ${job?.id} failed: ${err.message}`));
  }

  /** Graceful stop, first step (issue 14 item 7): no new job; the running ones finish before connections close. */
  async onModuleDestroy(): Promise<void> {
    await drainWorker(this.worker, 'silent-device check');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler?.stop();
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.connection?.disconnect();
  }
}

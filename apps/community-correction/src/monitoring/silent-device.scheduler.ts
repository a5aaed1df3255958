import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { CorrectionConfig } from '../config';
import { MonitoringService } from './monitoring.service';

const QUEUE = 'correction.monitoring';
const SCHEDULER_ID = 'device-silent-check';

/**
 * CC-12 device silent: a BullMQ job scheduler runs MonitoringService.checkSilentDevices every
 * MONITORING_SILENT_CHECK_SECONDS (one job at a time across replicas: fixed scheduler id).
 */
@Injectable()
export class SilentDeviceScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SilentDeviceScheduler.name);
  private connection?: IORedis;
  private workerConnection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;

  constructor(
    private readonly monitoring: MonitoringService,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: this.config.REDIS_PREFIX });
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.MONITORING_SILENT_CHECK_SECONDS * 1000 },
      { name: 'silent-check', opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.worker = new Worker(QUEUE, async () => this.monitoring.checkSilentDevices(), {
      connection: this.workerConnection,
      prefix: this.config.REDIS_PREFIX,
      concurrency: 1,
    });
    this.worker.on('failed', (job, err) => this.logger.error(`silent-device check ${job?.id} failed: ${err.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.connection?.disconnect();
  }
}

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { CorrectionConfig } from '../config';
import { SanctionsService } from './sanctions.service';

const QUEUE = 'correction.sanctions';
const SCHEDULER_ID = 'sanction-ladder-sweep';

/**
 * CC-11 as time passes: a BullMQ job scheduler runs SanctionsService.sweep every
 * SANCTION_SWEEP_INTERVAL_SECONDS (one job at a time across replicas: fixed scheduler id). The sweep
 * reads PostgreSQL only, so a lost run is made good by the next.
 */
@Injectable()
export class SanctionSweepScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SanctionSweepScheduler.name);
  private connection?: IORedis;
  private workerConnection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;

  constructor(
    private readonly sanctions: SanctionsService,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: this.config.REDIS_PREFIX });
    await this.queue.upsertJobScheduler(
      SCHEDULER_ID,
      { every: this.config.SANCTION_SWEEP_INTERVAL_SECONDS * 1000 },
      { name: 'sanction-sweep', opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.worker = new Worker(QUEUE, async () => this.sanctions.sweep(), {
      connection: this.workerConnection,
      prefix: this.config.REDIS_PREFIX,
      concurrency: 1,
    });
    this.worker.on('failed', (job, err) => this.logger.error(`sanction sweep ${job?.id} failed: ${err.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.connection?.disconnect();
  }
}

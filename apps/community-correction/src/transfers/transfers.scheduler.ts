import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicJob } from '@homeward/bus';
import { ReadinessChecks } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { TransfersService } from './transfers.service';

/**
 * CC-13: approved changes of residence dated in the future are carried out by TransfersService.applyDue
 * every TRANSFER_SWEEP_INTERVAL_SECONDS, one run at a time across replicas, kept through Redis loss.
 * The run reads PostgreSQL only, so a lost run is made good by the next.
 */
@Injectable()
export class TransfersScheduler implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    transfers: TransfersService,
    @Inject(CorrectionConfig) config: CorrectionConfig,
    private readonly readiness: ReadinessChecks,
  ) {
    this.job = new PeriodicJob({
      queue: 'correction.transfers',
      schedulerId: 'residence-transfer-sweep',
      jobName: 'residence-transfer-sweep',
      everyMs: config.TRANSFER_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
      redisUrl: config.REDIS_URL,
      prefix: config.REDIS_PREFIX,
      run: () => transfers.applyDue(),
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.job.start(this.readiness);
  }

  onModuleDestroy(): Promise<void> {
    return this.job.drain();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.job.close();
  }
}

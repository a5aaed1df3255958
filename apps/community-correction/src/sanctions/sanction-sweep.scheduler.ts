import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicJob } from '@homeward/bus';
import { ReadinessChecks } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { SanctionsService } from './sanctions.service';

/**
 * CC-11 as time passes: SanctionsService.sweep every SANCTION_SWEEP_INTERVAL_SECONDS, one run at a
 * time across replicas, kept through Redis loss. The sweep reads PostgreSQL only, so a lost run is
 * made good by the next.
 */
@Injectable()
export class SanctionSweepScheduler implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    sanctions: SanctionsService,
    @Inject(CorrectionConfig) config: CorrectionConfig,
    private readonly readiness: ReadinessChecks,
  ) {
    this.job = new PeriodicJob({
      queue: 'correction.sanctions',
      schedulerId: 'sanction-ladder-sweep',
      jobName: 'sanction-sweep',
      everyMs: config.SANCTION_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
      redisUrl: config.REDIS_URL,
      prefix: config.REDIS_PREFIX,
      run: () => sanctions.sweep(),
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

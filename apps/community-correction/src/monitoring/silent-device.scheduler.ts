import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PeriodicJob } from '@homeward/bus';
import { ReadinessChecks } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { MonitoringService } from './monitoring.service';

/**
 * CC-12 device silent: MonitoringService.checkSilentDevices every MONITORING_SILENT_CHECK_SECONDS,
 * one run at a time across replicas (fixed scheduler id), re-registered when Redis loses it
 * (issue 14 item 3), drained on a graceful stop (issue 14 item 7).
 */
@Injectable()
export class SilentDeviceScheduler implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly job: PeriodicJob;

  constructor(
    monitoring: MonitoringService,
    @Inject(CorrectionConfig) config: CorrectionConfig,
    private readonly readiness: ReadinessChecks,
  ) {
    this.job = new PeriodicJob({
      queue: 'correction.monitoring',
      schedulerId: 'device-silent-check',
      jobName: 'silent-check',
      everyMs: config.MONITORING_SILENT_CHECK_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
      redisUrl: config.REDIS_URL,
      prefix: config.REDIS_PREFIX,
      run: () => monitoring.checkSilentDevices(),
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

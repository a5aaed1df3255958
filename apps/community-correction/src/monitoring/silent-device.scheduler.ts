import { Inject, Injectable } from '@nestjs/common';
import { BusJobs } from '@homeward/bus';
import { CorrectionConfig } from '../config';
import { MonitoringService } from './monitoring.service';

/**
 * CC-12 device silent: MonitoringService.checkSilentDevices every MONITORING_SILENT_CHECK_SECONDS,
 * one run at a time across replicas (fixed scheduler id), re-registered when Redis loses it
 * (issue 14 item 3), drained on a graceful stop (issue 14 item 7) — by the bus's job facility.
 */
@Injectable()
export class SilentDeviceScheduler {
  constructor(jobs: BusJobs, monitoring: MonitoringService, @Inject(CorrectionConfig) config: CorrectionConfig) {
    jobs.process('correction.monitoring', () => monitoring.checkSilentDevices());
    jobs.every({
      queue: 'correction.monitoring',
      schedulerId: 'device-silent-check',
      jobName: 'silent-check',
      everyMs: config.MONITORING_SILENT_CHECK_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }
}

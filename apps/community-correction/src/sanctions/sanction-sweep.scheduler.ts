import { Inject, Injectable } from '@nestjs/common';
import { BusJobs } from '@homeward/bus';
import { CorrectionConfig } from '../config';
import { SanctionsService } from './sanctions.service';

/**
 * CC-11 as time passes: SanctionsService.sweep every SANCTION_SWEEP_INTERVAL_SECONDS, one run at a
 * time across replicas, kept through Redis loss (the bus's job facility). The sweep reads PostgreSQL
 * only, so a lost run is made good by the next.
 */
@Injectable()
export class SanctionSweepScheduler {
  constructor(jobs: BusJobs, sanctions: SanctionsService, @Inject(CorrectionConfig) config: CorrectionConfig) {
    jobs.process('correction.sanctions', () => sanctions.sweep());
    jobs.every({
      queue: 'correction.sanctions',
      schedulerId: 'sanction-ladder-sweep',
      jobName: 'sanction-sweep',
      everyMs: config.SANCTION_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }
}

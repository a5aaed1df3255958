import { Inject, Injectable } from '@nestjs/common';
import { BusJobs } from '@homeward/bus';
import { CorrectionConfig } from '../config';
import { TransfersService } from './transfers.service';

/**
 * CC-13: approved changes of residence dated in the future are carried out by TransfersService.applyDue
 * every TRANSFER_SWEEP_INTERVAL_SECONDS, one run at a time across replicas, kept through Redis loss
 * (the bus's job facility). The run reads PostgreSQL only, so a lost run is made good by the next.
 */
@Injectable()
export class TransfersScheduler {
  constructor(jobs: BusJobs, transfers: TransfersService, @Inject(CorrectionConfig) config: CorrectionConfig) {
    jobs.process('correction.transfers', () => transfers.applyDue());
    jobs.every({
      queue: 'correction.transfers',
      schedulerId: 'residence-transfer-sweep',
      jobName: 'residence-transfer-sweep',
      everyMs: config.TRANSFER_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }
}

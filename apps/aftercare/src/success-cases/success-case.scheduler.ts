import { Inject, Injectable } from '@nestjs/common';
import { BusJobs } from '@homeward/bus';
import { AftercareConfig } from '../config';
import { SuccessCasesService } from './success-cases.service';

/**
 * AC-6: SuccessCasesService.checkQ4 every AFTERCARE_SUCCESS_CASE_CHECK_SECONDS (one run at a time
 * across replicas, fixed scheduler id); outside Q4 it does nothing, inside it reminds each short
 * station once a year.
 */
@Injectable()
export class SuccessCaseScheduler {
  constructor(jobs: BusJobs, service: SuccessCasesService, @Inject(AftercareConfig) config: AftercareConfig) {
    jobs.process('aftercare.success-cases', () => service.checkQ4());
    jobs.every({
      queue: 'aftercare.success-cases',
      schedulerId: 'success-case-q4-check',
      jobName: 'q4-check',
      everyMs: config.AFTERCARE_SUCCESS_CASE_CHECK_SECONDS * 1000,
      verifyEveryMs: config.AFTERCARE_SUCCESS_CASE_CHECK_SECONDS * 1000,
    });
  }
}

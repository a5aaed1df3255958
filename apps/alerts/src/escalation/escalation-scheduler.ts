import { Inject, Injectable } from '@nestjs/common';
import { BusJobs, type BusJobHandler } from '@homeward/bus';
import { AlertsConfig } from '../config';
import { EscalationService } from './escalation.service';

export const ESCALATIONS_QUEUE = 'alerts.escalations';

/**
 * AL-1 escalation is time-driven: a periodic sweep on the bus's job facility (every
 * ALERT_SWEEP_INTERVAL_SECONDS, like the due-date sweep) finds due escalations from PostgreSQL alone,
 * so nothing is lost when Redis is.
 */
@Injectable()
export class EscalationScheduler {
  constructor(jobs: BusJobs, private readonly escalation: EscalationService, @Inject(AlertsConfig) config: AlertsConfig) {
    jobs.process(ESCALATIONS_QUEUE, (job) => this.process(job));
    jobs.every({
      queue: ESCALATIONS_QUEUE,
      schedulerId: 'escalation-sweep',
      jobName: 'sweep',
      everyMs: config.ALERT_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }

  private readonly process: BusJobHandler = async (job) => {
    if (job.name === 'sweep') return this.escalation.sweep();
    throw new Error(`unknown escalation job ${job.name}`);
  };
}

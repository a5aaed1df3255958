import { Inject, Injectable } from '@nestjs/common';
import { LevelObligations, SanctionThresholds, SupervisionLevel, SupervisionPolicy } from '@homeward/domain';
import { CorrectionConfig } from '../config';

/** CC-8 / CC-11 numbers *(cfg)* read from the app configuration, in the shapes the domain rules take. */
@Injectable()
export class SupervisionPolicyProvider {
  readonly policy: SupervisionPolicy;
  readonly thresholds: SanctionThresholds;
  readonly strictInitialMonths: number;

  constructor(@Inject(CorrectionConfig) config: CorrectionConfig) {
    this.policy = {
      [SupervisionLevel.STRICT]: {
        checkInIntervalDays: config.CHECKIN_INTERVAL_DAYS_STRICT,
        educationHoursPerMonth: config.EDUCATION_HOURS_STRICT,
        communityServiceHoursPerMonth: config.COMMUNITY_SERVICE_HOURS_STRICT,
      },
      [SupervisionLevel.ORDINARY]: {
        checkInIntervalDays: config.CHECKIN_INTERVAL_DAYS_ORDINARY,
        educationHoursPerMonth: config.EDUCATION_HOURS_ORDINARY,
        communityServiceHoursPerMonth: config.COMMUNITY_SERVICE_HOURS_ORDINARY,
      },
      [SupervisionLevel.LENIENT]: {
        checkInIntervalDays: config.CHECKIN_INTERVAL_DAYS_LENIENT,
        educationHoursPerMonth: config.EDUCATION_HOURS_LENIENT,
        communityServiceHoursPerMonth: config.COMMUNITY_SERVICE_HOURS_LENIENT,
      },
    };
    this.thresholds = {
      admonitionMaxDays: config.SANCTION_ADMONITION_MAX_DAYS,
      revocationMinDaysExclusive: config.SANCTION_REVOCATION_LOST_CONTACT_DAYS,
      repeatCount: config.SANCTION_REPEAT_COUNT,
    };
    this.strictInitialMonths = config.SUPERVISION_STRICT_INITIAL_MONTHS;
  }

  obligations(level: SupervisionLevel): LevelObligations {
    return this.policy[level];
  }

  /** The shortest check-in interval of any level: a subject without a check-in for longer may be overdue. */
  shortestCheckInIntervalDays(): number {
    return Math.min(...Object.values(this.policy).map((o) => o.checkInIntervalDays));
  }
}

import { IsInt, Max, Min } from 'class-validator';
import { ServiceConfig, ToNumber } from '@homeward/platform';

export class AftercareConfig extends ServiceConfig {
  /** AC-1: a release notice is due this many days before release; a later one is accepted and flagged late *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(60)
  AFTERCARE_NOTICE_LEAD_DAYS = 3;

  /** AC-1: a notice whose release is more than this many days past is refused (422) *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(365)
  AFTERCARE_LATE_NOTICE_WINDOW_DAYS = 30;

  /** AC-2 / AL-3: the first contact is due within this many days of release *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(60)
  AFTERCARE_CONTACT_DAYS = 7;

  /** AC-4: this many refused drug tests are a serious breach reported to police *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(20)
  AFTERCARE_REFUSED_TESTS_FOR_BREACH = 3;

  /** AC-5: years without relapse after which a case closes *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(10)
  AFTERCARE_ABSTINENCE_YEARS = 3;
}

export function aftercareSettings(c: AftercareConfig) {
  return {
    noticeLeadDays: c.AFTERCARE_NOTICE_LEAD_DAYS,
    lateNoticeWindowDays: c.AFTERCARE_LATE_NOTICE_WINDOW_DAYS,
    contactDays: c.AFTERCARE_CONTACT_DAYS,
    refusedTestsForBreach: c.AFTERCARE_REFUSED_TESTS_FOR_BREACH,
    abstinenceYearsForClosure: c.AFTERCARE_ABSTINENCE_YEARS,
  };
}

import { IsInt, IsString, Max, Min } from 'class-validator';
import { ServiceConfig, ToNumber } from '@homeward/platform';

/** alerts: the common service variables plus the sweep period and AL-2 response times *(cfg)*. */
export class AlertsConfig extends ServiceConfig {
  /** Due-date sweep period: the safety net for lost delayed jobs. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(3600)
  ALERT_SWEEP_INTERVAL_SECONDS = 60;

  /**
   * Issue 13: only the due-date checks due within this many hours are delayed jobs in Redis; the rest wait
   * in `alerts.watches` and are added by the hourly refill as they come within it (Redis then holds about
   * a day's checks, not one per open case).
   */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(744)
  ALERT_JOB_HORIZON_HOURS = 24;

  /** How often the BullMQ job schedulers are checked in Redis and registered again when missing (issue 14 item 3). */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(3600)
  SCHEDULER_VERIFY_SECONDS = 30;

  /** AL-2 RED: acknowledge within 1 h. */
  @ToNumber()
  @IsInt()
  @Min(1)
  ALERT_RESPONSE_RED_MINUTES = 60;

  /** AL-2 ORANGE: acknowledge within 4 h. */
  @ToNumber()
  @IsInt()
  @Min(1)
  ALERT_RESPONSE_ORANGE_MINUTES = 240;

  /** Issue 7 item 10: how often the reference data (holiday tables, towns) is reloaded when community-correction changed it. */
  @ToNumber()
  @IsInt()
  @Min(1)
  REFERENCE_RELOAD_SECONDS = 60;

  /** AL-2 YELLOW: acknowledge within 3 working days. */
  @ToNumber()
  @IsInt()
  @Min(1)
  ALERT_RESPONSE_YELLOW_WORKING_DAYS = 3;

  /**
   * Issue 11 item 6: the town ranking's weights per year *(cfg)*, JSON `{"2027": {"K-CC1": 12, …}, "*": {…}}`
   * (a year not named uses "*", else the defaults of libs/domain `DEFAULT_RANKING_WEIGHTS`); empty = the defaults.
   */
  @IsString()
  RANKING_WEIGHTS = '';

  /** Issue 11 item 6: how many towns at the bottom of the ranking are flagged for notice (通报) *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(30)
  RANKING_NOTICE_BOTTOM_N = 3;
}

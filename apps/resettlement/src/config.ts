import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { ServiceConfig, ToNumber } from '@homeward/platform';

export class ResettlementConfig extends ServiceConfig {
  /** CC-20: years of assistance after discharge from correction *(cfg)*. */
  @ToNumber()
  @IsNumber()
  @Min(0.5)
  @Max(10)
  ASSISTANCE_AFTER_CORRECTION_YEARS = 3;

  /** RS-2 / AL-3: a pre-release notice must be verified and its receipt sent this many days before release *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(0)
  @Max(60)
  PRE_RELEASE_VERIFICATION_LEAD_DAYS = 7;

  /** RS-6: years of assistance after release from prison *(cfg)*; also the K-RS7 window. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(10)
  ASSISTANCE_AFTER_RELEASE_YEARS = 5;

  /** RS-12 / K-RS11: one social worker per this many assistance subjects in a town *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(1000)
  RESETTLEMENT_SUBJECTS_PER_SOCIAL_WORKER = 50;

  /** RS-13: HTTP attempts of a push delivery before it is dead-lettered *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(20)
  PUSH_MAX_ATTEMPTS = 6;

  /** RS-13: the first retry waits this long; each next one twice as long *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  PUSH_BACKOFF_BASE_MS = 30_000;

  /** RS-13: a rotated-out signing key stays valid (and keeps signing) this many hours *(cfg)*. */
  @ToNumber()
  @IsNumber()
  @Min(0)
  @Max(720)
  PUSH_KEY_GRACE_HOURS = 72;

  /** RS-13: one webhook attempt gives up after this long *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(100)
  @Max(120_000)
  PUSH_TIMEOUT_MS = 10_000;

  /** Issue 11 item 6: how often the indicators of the last closed month, quarter and year are published for the town ranking (0 = never). */
  @ToNumber()
  @IsInt()
  @Min(0)
  INDICATOR_SNAPSHOT_INTERVAL_SECONDS = 86400;
}

import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ServiceConfig, ToBoolean, ToNumber } from '@homeward/platform';

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

  /** AC-5: the longest community rehabilitation (社区康复) a decision may order, in months *(cfg)*. */
  @ToNumber()
  @IsInt()
  @Min(1)
  @Max(120)
  AFTERCARE_COMMUNITY_REHAB_MAX_MONTHS = 36;

  /** AC-6: how often the Q4 check for stations short of success cases runs (it sends one reminder per station and year). */
  @ToNumber()
  @IsInt()
  @Min(10)
  AFTERCARE_SUCCESS_CASE_CHECK_SECONDS = 3600;

  /** Issue 11 item 6: how often K-AC1…K-AC4 of the last closed month, quarter and year are published for the town ranking (0 = never). */
  @ToNumber()
  @IsInt()
  @Min(0)
  INDICATOR_SNAPSHOT_INTERVAL_SECONDS = 86400;

  // --- AC-6 success-case files: the archive storage of community correction (same names, libs/platform/archive-storage) ---
  /** AC-6: where success-case files are stored: local disk (default) or an S3-compatible bucket; always sealed under FIELD_ENCRYPTION_KEY. */
  @IsIn(['local', 's3']) ARCHIVE_STORAGE: 'local' | 's3' = 'local';
  @IsString() ARCHIVE_DIR = '.data/archives';
  /** AC-6: largest file accepted for a dossier, in bytes (10 MB). */
  @ToNumber() @IsInt() @Min(1) ARCHIVE_MAX_BYTES = 10 * 1024 * 1024;
  @IsOptional() @IsString() ARCHIVE_S3_BUCKET?: string;
  @IsOptional() @IsString() ARCHIVE_S3_ENDPOINT?: string;
  @IsString() ARCHIVE_S3_REGION = 'us-east-1';
  @IsOptional() @IsString() ARCHIVE_S3_ACCESS_KEY_ID?: string;
  @IsOptional() @IsString() ARCHIVE_S3_SECRET_ACCESS_KEY?: string;
  @ToBoolean() @IsBoolean() ARCHIVE_S3_FORCE_PATH_STYLE = true;
  @IsIn(['AES256', 'aws:kms', 'none']) ARCHIVE_S3_SSE: 'AES256' | 'aws:kms' | 'none' = 'AES256';
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

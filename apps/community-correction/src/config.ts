import { IsInt, Min } from 'class-validator';
import { ServiceConfig, ToNumber } from '@homeward/platform';
// K-CC7 (indicators) addition:
import { IsString as IsCentreList, Matches as MatchesCentreList } from 'class-validator';
// CC-17…CC-19 (archives) additions:
import { IsBoolean as IsBool, IsIn as IsOneOf, IsOptional as IsOpt, IsString as IsStr } from 'class-validator';
import { ToBoolean } from '@homeward/platform';

/** community-correction reads only the common service variables so far (docs/internals.md). */
export class CorrectionConfig extends ServiceConfig {
  // --- electronic location, leave, investigations, procuratorate notices (CC-12, CC-13, CC-14, CC-16) ---
  /** CC-12: a device without a fix for this many minutes is silent (default 2 h). */
  @ToNumber() @IsInt() @Min(1) MONITORING_SILENT_MINUTES = 120;
  /** CC-12: how often the silent-device check runs (BullMQ job scheduler). */
  @ToNumber() @IsInt() @Min(1) MONITORING_SILENT_CHECK_SECONDS = 300;
  /** How often the BullMQ job schedulers are checked in Redis and registered again when missing (issue 14 item 3). */
  @ToNumber() @IsInt() @Min(1) SCHEDULER_VERIFY_SECONDS = 30;
  /** CC-12: working days before the end of an electronic location when the "expiring" reminder is due. */
  @ToNumber() @IsInt() @Min(0) MONITORING_EXPIRY_WARNING_WORKING_DAYS = 5;
  /** CC-13: one approval of leave covers at most this many days. */
  @ToNumber() @IsInt() @Min(1) LEAVE_MAX_DAYS = 30;
  // --- the subject's and the team's apps (CC-21, issue 12) ---
  /** CC-21: an APP check-in whose face-match score (0–1, from the device) is below this is recorded as failed. */
  @ToNumber() @Min(0) APP_FACE_MATCH_THRESHOLD = 0.8;
  /** Issue 12 item 1: hours an activation code of the subject's or the team's app stays usable. */
  @ToNumber() @IsInt() @Min(1) APP_ACTIVATION_HOURS = 72;
  /** CC-14: working days for an investigation assessment, and for an expedited (速裁) one. */
  @ToNumber() @IsInt() @Min(1) INVESTIGATION_WORKING_DAYS = 10;
  @ToNumber() @IsInt() @Min(1) INVESTIGATION_EXPEDITED_WORKING_DAYS = 5;
  /** CC-14: the "assessment due" reminder this many working days before the due date. */
  @ToNumber() @IsInt() @Min(0) INVESTIGATION_REMINDER_WORKING_DAYS = 2;
  /** CC-16: days after issue within which a procuratorate notice must be replied to. */
  @ToNumber() @IsInt() @Min(1) PROCURATORATE_REPLY_DAYS = 15;
  /** CC-16: the "reply due" reminder this many days before the reply is due. */
  @ToNumber() @IsInt() @Min(0) PROCURATORATE_REPLY_REMINDER_DAYS = 3;
  // --- supervision (CC-8, CC-9, CC-11) ---
  /** CC-8: months after activation during which the level is STRICT. */
  @ToNumber() @IsInt() @Min(0) SUPERVISION_STRICT_INITIAL_MONTHS = 2;
  /** CC-8: check-in interval in days per level. */
  @ToNumber() @IsInt() @Min(1) CHECKIN_INTERVAL_DAYS_STRICT = 7;
  @ToNumber() @IsInt() @Min(1) CHECKIN_INTERVAL_DAYS_ORDINARY = 14;
  @ToNumber() @IsInt() @Min(1) CHECKIN_INTERVAL_DAYS_LENIENT = 30;
  /** CC-8: education hours a month per level. */
  @ToNumber() @Min(0) EDUCATION_HOURS_STRICT = 12;
  @ToNumber() @Min(0) EDUCATION_HOURS_ORDINARY = 8;
  @ToNumber() @Min(0) EDUCATION_HOURS_LENIENT = 4;
  /** CC-8: community service hours a month per level. */
  @ToNumber() @Min(0) COMMUNITY_SERVICE_HOURS_STRICT = 12;
  @ToNumber() @Min(0) COMMUNITY_SERVICE_HOURS_ORDINARY = 8;
  @ToNumber() @Min(0) COMMUNITY_SERVICE_HOURS_LENIENT = 4;
  /** CC-11: late report / lost contact up to this many days → 训诫, more → 警告. */
  @ToNumber() @IsInt() @Min(1) SANCTION_ADMONITION_MAX_DAYS = 10;
  /** CC-11: lost contact more than this many days → propose revocation. */
  @ToNumber() @IsInt() @Min(1) SANCTION_REVOCATION_LOST_CONTACT_DAYS = 30;
  /** CC-11: this many 训诫 (警告) without improvement → the next step. */
  @ToNumber() @IsInt() @Min(1) SANCTION_REPEAT_COUNT = 2;
  /** CC-11: how often the ladder is re-evaluated for lapses that grow with time (overdue report-in or check-in, lost contact). */
  @ToNumber() @IsInt() @Min(10) SANCTION_SWEEP_INTERVAL_SECONDS = 3600;
  /** Issue 11 item 6: how often the indicators of the last closed month, quarter and year are published for the town ranking (0 = never). */
  @ToNumber() @IsInt() @Min(0) INDICATOR_SNAPSHOT_INTERVAL_SECONDS = 86400;
  /** CC-13: how often approved changes of residence whose date has come are carried out. */
  @ToNumber() @IsInt() @Min(10) TRANSFER_SWEEP_INTERVAL_SECONDS = 300;
  /** CC-29: working days after its event within which a record must be entered (K-DQ1 数据及时率). */
  @ToNumber() @IsInt() @Min(0) DATA_ENTRY_WORKING_DAYS = 3;
  // --- reference data (issue 7 item 10) ---
  /** How often a replica checks whether another one changed the reference data (holiday tables, towns, boundary, centres) and reloads it. */
  @ToNumber() @IsInt() @Min(1) REFERENCE_RELOAD_SECONDS = 60;
  // --- indicators (K-CC7) ---
  /** K-CC7: town codes with a working community-correction centre (社区矫正中心), comma-separated, added to the reference data's CORRECTION_CENTRES. */
  @IsCentreList() @MatchesCentreList(/^(\d{3}(,\d{3})*)?$/) CORRECTION_CENTRE_TOWNS = '';
  // --- archives (CC-19) ---
  /** CC-19: where archive file content is stored: local disk (default) or an S3-compatible bucket. */
  @IsOneOf(['local', 's3']) ARCHIVE_STORAGE: 'local' | 's3' = 'local';
  /** CC-19: the local-disk archive root (ARCHIVE_STORAGE=local). */
  @IsStr() ARCHIVE_DIR = '.data/archives';
  /** CC-19: largest archive file accepted for upload, in bytes (10 MB). */
  @ToNumber() @IsInt() @Min(1) ARCHIVE_MAX_BYTES = 10 * 1024 * 1024;
  /** CC-19: S3-compatible storage (ARCHIVE_STORAGE=s3): bucket (then required), endpoint (MinIO…), region, keys. */
  @IsOpt() @IsStr() ARCHIVE_S3_BUCKET?: string;
  @IsOpt() @IsStr() ARCHIVE_S3_ENDPOINT?: string;
  @IsStr() ARCHIVE_S3_REGION = 'us-east-1';
  @IsOpt() @IsStr() ARCHIVE_S3_ACCESS_KEY_ID?: string;
  @IsOpt() @IsStr() ARCHIVE_S3_SECRET_ACCESS_KEY?: string;
  /** CC-19: path-style bucket addressing (MinIO and most S3-compatible servers need it). */
  @ToBoolean() @IsBool() ARCHIVE_S3_FORCE_PATH_STYLE = true;
  /** CC-19 / issue 6 item 10: server-side encryption asked of the bucket on every upload (objects are also sealed client-side). */
  @IsOneOf(['AES256', 'aws:kms', 'none']) ARCHIVE_S3_SSE: 'AES256' | 'aws:kms' | 'none' = 'AES256';
}

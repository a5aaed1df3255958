import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { compareLocalDate, type LocalDate } from '../calendar/local-date';

/**
 * CC-21 (在矫通): an APP check-in carries the device's face-match score (0–1) and its location.
 * A score at or above the threshold is a check-in (it meets the CC-9 obligation); below it the
 * attempt is recorded as failed, meets nothing, and the officer sees it.
 */
export type AppCheckInOutcome = 'ACCEPTED' | 'FACE_MATCH_FAILED';

export const APP_CHECK_IN_OUTCOME_LABELS: Record<AppCheckInOutcome, string> = {
  ACCEPTED: '报到成功',
  FACE_MATCH_FAILED: '人脸比对未通过，本次报到未成功，请重试或联系司法所',
};

export function appCheckInOutcome(input: { faceMatchScore: number; lat: number; lng: number }, threshold: number): AppCheckInOutcome {
  const { faceMatchScore, lat, lng } = input;
  if (!Number.isFinite(faceMatchScore) || faceMatchScore < 0 || faceMatchScore > 1) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the face-match score must be between 0 and 1 / 人脸比对分值应在 0 到 1 之间', { field: 'faceMatchScore' });
  }
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the latitude is not valid / 纬度无效', { field: 'lat' });
  }
  if (!Number.isFinite(lng) || lng < -180 || lng > 180) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the longitude is not valid / 经度无效', { field: 'lng' });
  }
  return faceMatchScore >= threshold ? 'ACCEPTED' : 'FACE_MATCH_FAILED';
}

/**
 * CC-21: hours the subject reports itself (self-study, self community service): more than 0, at
 * most 24, in quarter hours; on a day of supervision, not in the future.
 */
export function validateSelfReportedHours(input: { hours: number; onDate: LocalDate }, supervisionStart: LocalDate, today: LocalDate): void {
  if (!Number.isFinite(input.hours) || input.hours <= 0 || input.hours > 24 || Math.round(input.hours * 4) !== input.hours * 4) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'hours must be more than 0 and at most 24, in quarter hours / 时长应大于 0 且不超过 24 小时（以 0.25 小时计）', { field: 'hours' });
  }
  if (compareLocalDate(input.onDate, today) > 0) {
    throw new DomainError(DomainErrorCode.DATE_INVALID, 'the date is in the future / 日期不能晚于今天', { field: 'onDate' });
  }
  if (compareLocalDate(input.onDate, supervisionStart) < 0) {
    throw new DomainError(DomainErrorCode.DATE_INVALID, 'the date is before supervision started / 日期早于入矫日期', { field: 'onDate' });
  }
}

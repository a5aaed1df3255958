import { DomainError, DomainErrorCode } from '../errors';
import { LocalDate, YearMonth, YearQuarter, addDays, addYears, compareLocalDate, isBefore, monthOf, monthRange, quarterOf, quarterRange } from '../calendar';
import { ClosureReason, DrugTestResult } from './vocabulary';

/**
 * The *(cfg)* numbers of AC-1 … AC-5 (docs/domain.md) with their defaults. The aftercare service
 * reads each from its configuration; these are only the defaults.
 */
export interface AftercareSettings {
  /** AC-1: a release notice arrives at least this many days before release; a later one is flagged late. */
  noticeLeadDays: number;
  /** AC-1: a notice whose release is more than this many days past is refused (422): it belongs to another channel. */
  lateNoticeWindowDays: number;
  /** AC-2: the first contact is due within this many days of release. */
  contactDays: number;
  /** AC-4: this many refused tests (in one case) are a serious breach reported to police. */
  refusedTestsForBreach: number;
  /** AC-5: years without relapse after which the case closes (戒断3年未复吸). */
  abstinenceYearsForClosure: number;
}

export const DEFAULT_AFTERCARE_SETTINGS: Readonly<AftercareSettings> = Object.freeze({
  noticeLeadDays: 3,
  lateNoticeWindowDays: 30,
  contactDays: 7,
  refusedTestsForBreach: 3,
  abstinenceYearsForClosure: 3,
});

/** AC-1: a notice received fewer than `noticeLeadDays` days before the release is late (accepted, flagged). */
export function isLateNotice(releaseDate: LocalDate, receivedOn: LocalDate, s: Pick<AftercareSettings, 'noticeLeadDays'> = DEFAULT_AFTERCARE_SETTINGS): boolean {
  return isBefore(releaseDate, addDays(receivedOn, s.noticeLeadDays));
}

/**
 * AC-1: a release already more than `lateNoticeWindowDays` past is refused (the person is no longer
 * "about to be released"; the centre corrects the date or reports through the police).
 * @throws DomainError(DATE_RANGE_INVALID) naming `releaseDate`.
 */
export function assertReleaseWithinWindow(releaseDate: LocalDate, receivedOn: LocalDate, s: Pick<AftercareSettings, 'lateNoticeWindowDays'> = DEFAULT_AFTERCARE_SETTINGS): void {
  if (isBefore(releaseDate, addDays(receivedOn, -s.lateNoticeWindowDays))) {
    throw new DomainError(
      DomainErrorCode.DATE_RANGE_INVALID,
      `releaseDate ${releaseDate} is more than ${s.lateNoticeWindowDays} days before the notice (${receivedOn}) / 解戒日期早于通知日期超过${s.lateNoticeWindowDays}天`,
      { field: 'releaseDate' },
    );
  }
}

/** AC-2: the day by which the first contact is due (release + 7 days, cfg). */
export function contactDue(releaseDate: LocalDate, s: Pick<AftercareSettings, 'contactDays'> = DEFAULT_AFTERCARE_SETTINGS): LocalDate {
  return addDays(releaseDate, s.contactDays);
}

/** AC-2 / K-AC1: contact made on `contactedOn` was within the window. */
export function contactedInTime(releaseDate: LocalDate, contactedOn: LocalDate, s: Pick<AftercareSettings, 'contactDays'> = DEFAULT_AFTERCARE_SETTINGS): boolean {
  return compareLocalDate(contactedOn, contactDue(releaseDate, s)) <= 0;
}

/** AC-3: the follow-up periods a day falls into (PHONE: calendar month; FACE_TO_FACE: calendar quarter). */
export function followUpPeriods(date: LocalDate): { month: YearMonth; quarter: YearQuarter } {
  return { month: monthOf(date), quarter: quarterOf(date) };
}

/**
 * AC-3: the calendar months (PHONE) a case owes from its enrolment up to `asOf`, the current month
 * included: the month of enrolment counts, a month after closure does not.
 */
export function monthsOwed(enrolledOn: LocalDate, asOf: LocalDate, closedOn: LocalDate | null = null): YearMonth[] {
  const last = closedOn && isBefore(closedOn, asOf) ? closedOn : asOf;
  const out: YearMonth[] = [];
  let m = monthOf(enrolledOn);
  while (compareLocalDate(monthRange(m).start, last) <= 0) {
    out.push(m);
    m = monthOf(addDays(monthRange(m).end, 1));
  }
  return out;
}

/** AC-3: the calendar quarters (FACE_TO_FACE) owed, as monthsOwed. */
export function quartersOwed(enrolledOn: LocalDate, asOf: LocalDate, closedOn: LocalDate | null = null): YearQuarter[] {
  const last = closedOn && isBefore(closedOn, asOf) ? closedOn : asOf;
  const out: YearQuarter[] = [];
  let q = quarterOf(enrolledOn);
  while (compareLocalDate(quarterRange(q).start, last) <= 0) {
    out.push(q);
    q = quarterOf(addDays(quarterRange(q).end, 1));
  }
  return out;
}

/** AC-4: a positive test marks a relapse. */
export function isRelapse(result: DrugTestResult): boolean {
  return result === DrugTestResult.POSITIVE;
}

/** AC-4: the refused test that brings the count to the threshold (3, cfg) is the serious breach; later ones do not repeat it. */
export function isSeriousBreach(refusedCount: number, s: Pick<AftercareSettings, 'refusedTestsForBreach'> = DEFAULT_AFTERCARE_SETTINGS): boolean {
  return refusedCount === s.refusedTestsForBreach;
}

/** AC-5: the day from which a case may close as abstinent: 3 years (cfg) after release or after the last relapse. */
export function abstinentClosureFrom(releaseDate: LocalDate, lastRelapseOn: LocalDate | null, s: Pick<AftercareSettings, 'abstinenceYearsForClosure'> = DEFAULT_AFTERCARE_SETTINGS): LocalDate {
  const from = lastRelapseOn && isBefore(releaseDate, lastRelapseOn) ? lastRelapseOn : releaseDate;
  return addYears(from, s.abstinenceYearsForClosure);
}

/**
 * AC-5: a closure is allowed on move, death or renewed detention at any time; as ABSTINENT_THREE_YEARS
 * only once three years without relapse have passed.
 * @throws DomainError(ILLEGAL_TRANSITION) naming `reason`.
 */
export function assertClosureAllowed(
  reason: ClosureReason,
  closedOn: LocalDate,
  releaseDate: LocalDate,
  lastRelapseOn: LocalDate | null,
  s: Pick<AftercareSettings, 'abstinenceYearsForClosure'> = DEFAULT_AFTERCARE_SETTINGS,
): void {
  if (reason !== ClosureReason.ABSTINENT_THREE_YEARS) return;
  const from = abstinentClosureFrom(releaseDate, lastRelapseOn, s);
  if (isBefore(closedOn, from)) {
    throw new DomainError(
      DomainErrorCode.ILLEGAL_TRANSITION,
      `three years without relapse are reached on ${from} / 戒断未满${s.abstinenceYearsForClosure}年（${from}届满），不能以戒断期满解除`,
      { field: 'reason' },
    );
  }
}

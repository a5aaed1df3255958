import { addDays, addMonths, compareLocalDate, lastDayOfPeriod, parseLocalDate, type LocalDate } from '../calendar/local-date';
import { activeCalendar, type WorkingDayCalendar } from '../calendar/working-day-calendar';
import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { SENTENCE_TYPE_LABELS, SentenceType, parseSentenceType } from '../enums/sentence-type';

/** CC-4: days after the judgment takes effect within which the subject must report. */
export const REPORT_DEADLINE_DAYS = 10;
/** CC-3: days after the judgment takes effect within which the documents must arrive. */
export const DOCUMENTS_DEADLINE_DAYS = 10;
/** CC-14 *(cfg)*: working days for an investigation assessment. */
export const INVESTIGATION_WORKING_DAYS: Readonly<{ normal: number; expedited: number }> = Object.freeze({
  normal: 10,
  expedited: 5,
});

/**
 * CC-23 (刑诉法 105 ¶2): a procedural period whose last day is a rest day or public holiday
 * ends on the first working day after it. `date` itself when it is a working day.
 */
export function procedureDeadline(lastDay: LocalDate, cal: WorkingDayCalendar = activeCalendar()): LocalDate {
  return cal.nextWorkingDayOnOrAfter(lastDay);
}

/**
 * CC-4: the last day to report in = judgment effective date + 10 days (the day of
 * effect not counted, 刑诉法 105), moved to the next working day when it is a rest day or
 * holiday (CC-23). Not reported on the day after → 漏管 alert.
 */
export function correctionReportDeadline(judgmentEffectiveDate: LocalDate, cal: WorkingDayCalendar = activeCalendar()): LocalDate {
  return procedureDeadline(addDays(judgmentEffectiveDate, REPORT_DEADLINE_DAYS), cal);
}

/** CC-3: the last day for the deciding body to deliver the legal documents (+10 days; CC-23 holiday rule). */
export function correctionDocumentsDeadline(judgmentEffectiveDate: LocalDate, cal: WorkingDayCalendar = activeCalendar()): LocalDate {
  return procedureDeadline(addDays(judgmentEffectiveDate, DOCUMENTS_DEADLINE_DAYS), cal);
}

/** CC-16: the last day to reply to a procuratorate notice issued on `issuedDate` (+N days; CC-23 holiday rule). */
export function procuratorateReplyDeadline(issuedDate: LocalDate, days: number, cal: WorkingDayCalendar = activeCalendar()): LocalDate {
  return procedureDeadline(addDays(issuedDate, days), cal);
}

/**
 * CC-14: an investigation assessment is due 10 working days (5 when expedited 速裁)
 * after the commission is received; the received day itself is not counted.
 */
export function investigationDueDate(
  received: LocalDate,
  expedited: boolean,
  cal: WorkingDayCalendar = activeCalendar(),
  days: Readonly<{ normal: number; expedited: number }> = INVESTIGATION_WORKING_DAYS,
): LocalDate {
  return cal.addWorkingDays(received, expedited ? days.expedited : days.normal);
}

export interface CorrectionPeriodInput {
  sentenceType: SentenceType;
  judgmentEffectiveDate: LocalDate;
  /** First day of correction. */
  start: LocalDate;
  /** Last day of correction (inclusive). */
  end: LocalDate;
  /** PROBATION only: true = suspended 拘役 (detention), false = suspended 有期徒刑, unknown = either. */
  underDetention?: boolean;
}

interface Bounds {
  minMonths: number;
  maxMonths: number;
  rule: string;
}

/** CC-6 statutory length bounds (刑法 38, 73). */
export function correctionPeriodBounds(sentenceType: SentenceType, underDetention?: boolean): Bounds | undefined {
  switch (sentenceType) {
    case SentenceType.CONTROL:
      return { minMonths: 3, maxMonths: 24, rule: '管制 3 months – 2 years / 管制期限为三个月以上二年以下' };
    case SentenceType.PROBATION:
      if (underDetention === true) {
        return { minMonths: 2, maxMonths: 12, rule: '拘役缓刑考验期 2 months – 1 year / 拘役的缓刑考验期限为二个月以上一年以下' };
      }
      if (underDetention === false) {
        return { minMonths: 12, maxMonths: 60, rule: '有期徒刑缓刑考验期 1 – 5 years / 有期徒刑的缓刑考验期限为一年以上五年以下' };
      }
      return { minMonths: 2, maxMonths: 60, rule: '缓刑考验期 2 months – 5 years / 缓刑考验期限为二个月以上五年以下' };
    default:
      return undefined;
  }
}

/**
 * CC-6: checks a correction period against the judgment.
 * - end before start → DATE_RANGE_INVALID (field `correctionEndDate`);
 * - start before the judgment takes effect → CORRECTION_PERIOD_INVALID (field `correctionStartDate`);
 * - length outside the statutory bounds → CORRECTION_PERIOD_INVALID (field `correctionEndDate`).
 * The end day is inclusive (a one-year probation from 2025-03-10 ends 2026-03-09); to
 * accept judgments written either way, an end on the anniversary itself
 * (2026-03-10) is also accepted at the upper bound. 假释 / 暂予监外执行: end after start only.
 * @throws DomainError
 */
export function validateCorrectionPeriod(input: CorrectionPeriodInput): void {
  const sentenceType = parseSentenceType(input.sentenceType);
  const judgment = parseLocalDate(input.judgmentEffectiveDate, 'judgmentEffectiveDate');
  const start = parseLocalDate(input.start, 'correctionStartDate');
  const end = parseLocalDate(input.end, 'correctionEndDate');
  const details = { sentenceType, judgmentEffectiveDate: judgment, start, end };

  if (compareLocalDate(end, start) < 0) {
    throw new DomainError(
      DomainErrorCode.DATE_RANGE_INVALID,
      'CC-6: correction end date is before its start date / 矫正期限截止日早于起始日',
      { field: 'correctionEndDate', details },
    );
  }
  if (compareLocalDate(start, judgment) < 0) {
    throw new DomainError(
      DomainErrorCode.CORRECTION_PERIOD_INVALID,
      'CC-6: correction cannot start before the judgment takes effect / 矫正起始日早于判决生效日',
      { field: 'correctionStartDate', details },
    );
  }
  const bounds = correctionPeriodBounds(sentenceType, input.underDetention);
  if (!bounds) return;
  const earliestEnd = lastDayOfPeriod(start, bounds.minMonths);
  const latestEnd = addMonths(start, bounds.maxMonths);
  if (compareLocalDate(end, earliestEnd) < 0 || compareLocalDate(end, latestEnd) > 0) {
    throw new DomainError(
      DomainErrorCode.CORRECTION_PERIOD_INVALID,
      `CC-6: correction period for ${sentenceType} (${SENTENCE_TYPE_LABELS[sentenceType]}) out of bounds: ${bounds.rule}`,
      { field: 'correctionEndDate', details: { ...details, earliestEnd, latestEnd } },
    );
  }
}

import { addDays, addMonths, compareLocalDate, daysBetween, lastDayOfPeriod, parseLocalDate, type LocalDate } from '../calendar/local-date';
import { activeCalendar, type WorkingDayCalendar } from '../calendar/working-day-calendar';
import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { SENTENCE_TYPE_LABELS, SentenceType, parseSentenceType } from '../enums/sentence-type';
import { SUSPENDED_PENALTY_LABELS, SUSPENDED_TERM_MAX_MONTHS, SUSPENDED_TERM_MIN_MONTHS, SuspendedPenalty, parseSuspendedPenalty } from '../enums/suspended-penalty';

/** CC-3: days after the judgment takes effect within which the deciding body must notify (enrol). */
export const NOTICE_DEADLINE_DAYS = 5;
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

/**
 * CC-3: the last day for the deciding body to notify (send the enrolment) = judgment effective date
 * + 5 days, moved to the next working day when it is a rest day or holiday (CC-23).
 */
export function correctionNoticeDeadline(judgmentEffectiveDate: LocalDate, cal: WorkingDayCalendar = activeCalendar()): LocalDate {
  return procedureDeadline(addDays(judgmentEffectiveDate, NOTICE_DEADLINE_DAYS), cal);
}

/** Days `on` is after `deadline` (0 when on or before it). */
export function daysLate(deadline: LocalDate, on: LocalDate): number {
  return Math.max(0, daysBetween(deadline, on));
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
  /** PROBATION only: the principal penalty suspended (wins over `underDetention`); absent = unknown. */
  suspendedPenalty?: SuspendedPenalty | null;
  /** PROBATION with `suspendedPenalty` only: the suspended term (原判刑期) in months; the probation is not shorter. */
  suspendedTermMonths?: number | null;
  /** CONTROL only: 管制 for several offences combined (数罪并罚, 刑法 69): up to 3 years. */
  combinedSentences?: boolean | null;
  /** CONTROL only: days of the term credited for pre-trial detention (羁押折抵, 刑法 41: one day held = two days of 管制). */
  detentionCreditDays?: number | null;
}

export interface CorrectionPeriodBounds {
  minMonths: number;
  maxMonths: number;
  rule: string;
}

export interface BoundsOptions {
  /** PROBATION: the suspended term in months raises the lower bound to it (刑法 73). */
  suspendedTermMonths?: number | null;
  /** CONTROL: 数罪并罚 raises the upper bound to 3 years (刑法 69). */
  combinedSentences?: boolean | null;
}

/** CC-6 statutory length bounds (刑法 38, 69, 73). */
export function correctionPeriodBounds(sentenceType: SentenceType, underDetention?: boolean, opts: BoundsOptions = {}): CorrectionPeriodBounds | undefined {
  const term = opts.suspendedTermMonths ?? 0;
  const termRule = term > 0 ? `, not shorter than the suspended term of ${term} months / 不能少于原判刑期${term}个月` : '';
  switch (sentenceType) {
    case SentenceType.CONTROL:
      if (opts.combinedSentences) return { minMonths: 3, maxMonths: 36, rule: '管制 combined for several offences up to 3 years / 数罪并罚管制最高不能超过三年' };
      return { minMonths: 3, maxMonths: 24, rule: '管制 3 months – 2 years / 管制期限为三个月以上二年以下' };
    case SentenceType.PROBATION:
      if (underDetention === true) {
        return { minMonths: Math.max(2, term), maxMonths: 12, rule: `拘役缓刑考验期 2 months – 1 year${termRule} / 拘役的缓刑考验期限为原判刑期以上一年以下，但是不能少于二个月` };
      }
      if (underDetention === false) {
        return { minMonths: Math.max(12, term), maxMonths: 60, rule: `有期徒刑缓刑考验期 1 – 5 years${termRule} / 有期徒刑的缓刑考验期限为原判刑期以上五年以下，但是不能少于一年` };
      }
      return { minMonths: 2, maxMonths: 60, rule: '缓刑考验期 2 months – 5 years / 缓刑考验期限为二个月以上五年以下' };
    default:
      return undefined;
  }
}

/** What a period that does not fit its bounds breaks: the rule and the allowed window of the end date. */
export interface CorrectionPeriodMisfit {
  rule: string;
  earliestEnd: LocalDate;
  latestEnd: LocalDate;
}

/**
 * CC-6: the fields that qualify a sentence (suspended penalty, combined 管制, detention credit) are
 * consistent with the sentence type. @throws DomainError(VALIDATION_FAILED) naming the field.
 */
export function assertSentenceDetails(input: CorrectionPeriodInput): void {
  const notFor = (field: string, en: string, zh: string) =>
    new DomainError(DomainErrorCode.VALIDATION_FAILED, `CC-6: ${field} ${en} / ${zh}`, { field });
  const isProbation = input.sentenceType === SentenceType.PROBATION;
  const isControl = input.sentenceType === SentenceType.CONTROL;
  if (input.suspendedPenalty != null) {
    if (!isProbation) throw notFor('suspendedPenalty', 'applies to PROBATION only', '仅缓刑需说明所附主刑');
    parseSuspendedPenalty(input.suspendedPenalty);
  }
  if (input.suspendedTermMonths != null) {
    if (!isProbation || input.suspendedPenalty == null) {
      throw notFor('suspendedTermMonths', 'needs a PROBATION with suspendedPenalty', '原判刑期仅适用于说明了所附主刑的缓刑');
    }
    const min = SUSPENDED_TERM_MIN_MONTHS[input.suspendedPenalty];
    const max = SUSPENDED_TERM_MAX_MONTHS[input.suspendedPenalty];
    if (!Number.isInteger(input.suspendedTermMonths) || input.suspendedTermMonths < min || input.suspendedTermMonths > max) {
      throw notFor(
        'suspendedTermMonths',
        `must be ${min}–${max} months for ${input.suspendedPenalty}`,
        `${SUSPENDED_PENALTY_LABELS[input.suspendedPenalty]}的原判刑期应为${min}至${max}个月`,
      );
    }
  }
  if (input.combinedSentences && !isControl) throw notFor('combinedSentences', 'applies to CONTROL only', '数罪并罚的期限上限仅适用于管制');
  if (input.detentionCreditDays != null) {
    if (!isControl) throw notFor('detentionCreditDays', 'applies to CONTROL only', '羁押折抵仅适用于管制');
    if (!Number.isInteger(input.detentionCreditDays) || input.detentionCreditDays < 0) {
      throw notFor('detentionCreditDays', 'must be a whole number of days ≥ 0', '羁押折抵天数应为非负整数');
    }
  }
}

/**
 * CC-6: null when the period's length fits its statutory bounds (or none apply), else the rule broken
 * and the allowed window for the end date. Detention credit moves both ends of the window earlier.
 */
export function correctionPeriodMisfit(input: CorrectionPeriodInput): CorrectionPeriodMisfit | null {
  const underDetention =
    input.suspendedPenalty != null ? input.suspendedPenalty === SuspendedPenalty.CRIMINAL_DETENTION : input.underDetention;
  const bounds = correctionPeriodBounds(input.sentenceType, underDetention, {
    suspendedTermMonths: input.suspendedTermMonths,
    combinedSentences: input.combinedSentences,
  });
  if (!bounds) return null;
  const credit = input.detentionCreditDays ?? 0;
  const earliestEnd = addDays(lastDayOfPeriod(input.start, bounds.minMonths), -credit);
  const latestEnd = addDays(addMonths(input.start, bounds.maxMonths), -credit);
  const rule = credit > 0 ? `${bounds.rule}; less ${credit} days of detention credit / 羁押折抵${credit}日` : bounds.rule;
  if (compareLocalDate(input.end, earliestEnd) < 0 || compareLocalDate(input.end, latestEnd) > 0) return { rule, earliestEnd, latestEnd };
  return null;
}

/**
 * CC-6: checks a correction period against the judgment.
 * - a qualifying field that does not fit the sentence type → VALIDATION_FAILED (its field);
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
  assertSentenceDetails({ ...input, sentenceType });

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
  const misfit = correctionPeriodMisfit({ ...input, sentenceType, start, end });
  if (misfit) {
    throw new DomainError(
      DomainErrorCode.CORRECTION_PERIOD_INVALID,
      `CC-6: correction period for ${sentenceType} (${SENTENCE_TYPE_LABELS[sentenceType]}) out of bounds: ${misfit.rule}`,
      { field: 'correctionEndDate', details: { ...details, earliestEnd: misfit.earliestEnd, latestEnd: misfit.latestEnd } },
    );
  }
}

import { HOLIDAYS_2025 } from '../calendar/holiday-tables';
import { WorkingDayCalendar } from '../calendar/working-day-calendar';
import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { SentenceType } from '../enums/sentence-type';
import { SuspendedPenalty } from '../enums/suspended-penalty';
import {
  correctionDocumentsDeadline,
  correctionPeriodBounds,
  correctionReportDeadline,
  investigationDueDate,
  procuratorateReplyDeadline,
  validateCorrectionPeriod,
  correctionPeriodMisfit,
  correctionNoticeDeadline,
  daysLate,
  type CorrectionPeriodInput,
} from './deadlines';

function refusal(input: CorrectionPeriodInput): DomainError {
  try {
    validateCorrectionPeriod(input);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected the period to be refused');
}

const JUDGMENT = '2025-03-01';
const START = '2025-03-10';

describe('deadlines', () => {
  describe(correctionReportDeadline.name, () => {
    it.each([
      ['2025-03-10', '2025-03-20'],
      // CC-23: day 10 (2月4日) is the last day of the Spring Festival break → the first working day after it
      ['2025-01-25', '2025-02-05'],
      ['2025-12-28', '2026-01-07'],
      ['2024-02-25', '2024-03-06'],
      // CC-23 (issue 7 item 5): day 10 is 10月5日, inside National Day 2026 (10月1日–7日) → 10月8日
      ['2026-09-25', '2026-10-08'],
      // CC-23: day 10 on a Saturday → the Monday
      ['2026-03-04', '2026-03-16'],
    ])('CC-4/CC-23 judgment effective %s → report by %s (the day of effect not counted; a rest-day end moves to the next working day)', (effective, deadline) => {
      expect(correctionReportDeadline(effective)).toBe(deadline);
    });
  });

  describe(correctionDocumentsDeadline.name, () => {
    it('CC-3/CC-23 documents due 10 days after the judgment takes effect; a holiday end moves to the next working day', () => {
      expect(correctionDocumentsDeadline('2025-03-10')).toBe('2025-03-20');
      // 10月5日 2025 is inside National Day (10月1日–8日) → Thursday 10月9日
      expect(correctionDocumentsDeadline('2025-09-25')).toBe('2025-10-09');
    });
  });

  describe(procuratorateReplyDeadline.name, () => {
    it('CC-16/CC-23 a reply period of N days ends on the next working day when its last day is a rest day', () => {
      expect(procuratorateReplyDeadline('2026-03-02', 15)).toBe('2026-03-17');
      // 2026-09-20 + 15 = 10月5日 (National Day) → 10月8日
      expect(procuratorateReplyDeadline('2026-09-20', 15)).toBe('2026-10-08');
      // the calendar is a parameter: with no holidays known, 10月5日 2026 (Monday) stands
      expect(procuratorateReplyDeadline('2026-09-20', 15, new WorkingDayCalendar([]))).toBe('2026-10-05');
    });
  });

  describe(investigationDueDate.name, () => {
    it.each([
      ['2025-03-03', false, '2025-03-17'],
      ['2025-03-03', true, '2025-03-10'],
      // across National Day 2025 (10月1日–8日 off, 10月11日 Saturday worked)
      ['2025-09-30', false, '2025-10-21'],
      ['2025-09-30', true, '2025-10-14'],
      // across Spring Festival 2026 (2月14日 Saturday worked, 2月15日–23日 off)
      ['2026-02-12', true, '2026-02-26'],
      ['2026-02-12', false, '2026-03-04'], // 2月28日 Saturday worked too
    ])('CC-14 received %s, expedited %s → due %s', (received, expedited, due) => {
      expect(investigationDueDate(received, expedited)).toBe(due);
    });

    it('CC-14 uses the calendar and the day counts it is given (cfg)', () => {
      const plain = new WorkingDayCalendar([]);
      expect(investigationDueDate('2025-09-30', true, plain)).toBe('2025-10-07');
      expect(investigationDueDate('2025-09-30', false, new WorkingDayCalendar([HOLIDAYS_2025]), { normal: 15, expedited: 5 })).toBe(
        '2025-10-28',
      );
    });
  });

  describe(validateCorrectionPeriod.name, () => {
    const period = (sentenceType: SentenceType, end: string, underDetention?: boolean): CorrectionPeriodInput => ({
      sentenceType,
      judgmentEffectiveDate: JUDGMENT,
      start: START,
      end,
      ...(underDetention === undefined ? {} : { underDetention }),
    });

    it.each<[string, CorrectionPeriodInput]>([
      ['管制 exactly 3 months (end inclusive)', period(SentenceType.CONTROL, '2025-06-09')],
      ['管制 exactly 2 years', period(SentenceType.CONTROL, '2027-03-09')],
      ['管制 2 years written to the anniversary', period(SentenceType.CONTROL, '2027-03-10')],
      ['缓刑 (拘役) 2 months', period(SentenceType.PROBATION, '2025-05-09', true)],
      ['缓刑 (拘役) 1 year', period(SentenceType.PROBATION, '2026-03-10', true)],
      ['缓刑 (有期徒刑) 1 year', period(SentenceType.PROBATION, '2026-03-09', false)],
      ['缓刑 (有期徒刑) 5 years', period(SentenceType.PROBATION, '2030-03-10', false)],
      ['缓刑 (unknown) 2 months', period(SentenceType.PROBATION, '2025-05-09')],
      ['缓刑 (unknown) 5 years', period(SentenceType.PROBATION, '2030-03-09')],
      ['假释 of a few days', period(SentenceType.PAROLE, '2025-03-20')],
      ['假释 of 8 years', period(SentenceType.PAROLE, '2033-03-09')],
      ['暂予监外执行 of one day', period(SentenceType.TEMPORARY_OUTSIDE_EXECUTION, START)],
      [
        'a start on the day the judgment takes effect',
        { sentenceType: SentenceType.PROBATION, judgmentEffectiveDate: START, start: START, end: '2026-03-09' },
      ],
    ])('CC-6 accepts %s', (_label, input) => {
      expect(() => validateCorrectionPeriod(input)).not.toThrow();
    });

    it.each<[string, CorrectionPeriodInput, DomainErrorCode, string]>([
      ['管制 a day short of 3 months', period(SentenceType.CONTROL, '2025-06-08'), DomainErrorCode.CORRECTION_PERIOD_INVALID, 'correctionEndDate'],
      ['管制 over 2 years', period(SentenceType.CONTROL, '2027-03-11'), DomainErrorCode.CORRECTION_PERIOD_INVALID, 'correctionEndDate'],
      ['缓刑 (拘役) under 2 months', period(SentenceType.PROBATION, '2025-05-08', true), DomainErrorCode.CORRECTION_PERIOD_INVALID, 'correctionEndDate'],
      ['缓刑 (拘役) over 1 year', period(SentenceType.PROBATION, '2026-03-11', true), DomainErrorCode.CORRECTION_PERIOD_INVALID, 'correctionEndDate'],
      ['缓刑 (有期徒刑) under 1 year', period(SentenceType.PROBATION, '2026-03-08', false), DomainErrorCode.CORRECTION_PERIOD_INVALID, 'correctionEndDate'],
      ['缓刑 (有期徒刑) over 5 years', period(SentenceType.PROBATION, '2030-03-11', false), DomainErrorCode.CORRECTION_PERIOD_INVALID, 'correctionEndDate'],
      ['缓刑 (unknown) under 2 months', period(SentenceType.PROBATION, '2025-05-08'), DomainErrorCode.CORRECTION_PERIOD_INVALID, 'correctionEndDate'],
      ['缓刑 (unknown) over 5 years', period(SentenceType.PROBATION, '2030-03-11'), DomainErrorCode.CORRECTION_PERIOD_INVALID, 'correctionEndDate'],
      ['end before start (管制)', period(SentenceType.CONTROL, '2025-03-09'), DomainErrorCode.DATE_RANGE_INVALID, 'correctionEndDate'],
      ['end before start (假释)', period(SentenceType.PAROLE, '2024-12-31'), DomainErrorCode.DATE_RANGE_INVALID, 'correctionEndDate'],
      [
        'a start before the judgment takes effect',
        { sentenceType: SentenceType.PAROLE, judgmentEffectiveDate: '2025-03-11', start: START, end: '2026-01-01' },
        DomainErrorCode.CORRECTION_PERIOD_INVALID,
        'correctionStartDate',
      ],
      ['an impossible end date', period(SentenceType.PAROLE, '2025-02-30'), DomainErrorCode.DATE_INVALID, 'correctionEndDate'],
      [
        'an impossible judgment date',
        { sentenceType: SentenceType.PAROLE, judgmentEffectiveDate: '2025-13-01', start: START, end: '2026-01-01' },
        DomainErrorCode.DATE_INVALID,
        'judgmentEffectiveDate',
      ],
      [
        'a sentence type outside CC-1',
        { sentenceType: 'FINE' as SentenceType, judgmentEffectiveDate: JUDGMENT, start: START, end: '2026-01-01' },
        DomainErrorCode.SENTENCE_TYPE_INVALID,
        'sentenceType',
      ],
    ])('CC-6 refuses %s', (_label, input, code, field) => {
      const error = refusal(input);
      expect(error.code).toBe(code);
      expect(error.field).toBe(field);
    });

    it('CC-6 reports the allowed window in details and the rule in the message', () => {
      const error = refusal(period(SentenceType.CONTROL, '2025-04-09'));
      expect(error.details).toMatchObject({ earliestEnd: '2025-06-09', latestEnd: '2027-03-10' });
      expect(error.message).toContain('管制');
    });

    it('CC-6 bounds: 管制 3–24 months; 缓刑 2–12 / 12–60 / 2–60 months; none for 假释 and 暂予监外执行', () => {
      expect(correctionPeriodBounds(SentenceType.CONTROL)).toMatchObject({ minMonths: 3, maxMonths: 24 });
      expect(correctionPeriodBounds(SentenceType.PROBATION, true)).toMatchObject({ minMonths: 2, maxMonths: 12 });
      expect(correctionPeriodBounds(SentenceType.PROBATION, false)).toMatchObject({ minMonths: 12, maxMonths: 60 });
      expect(correctionPeriodBounds(SentenceType.PROBATION)).toMatchObject({ minMonths: 2, maxMonths: 60 });
      expect(correctionPeriodBounds(SentenceType.PAROLE)).toBeUndefined();
      expect(correctionPeriodBounds(SentenceType.TEMPORARY_OUTSIDE_EXECUTION)).toBeUndefined();
    });
  });

  describe('CC-6 sentence details (issue 7 item 4)', () => {
    const base = { judgmentEffectiveDate: START, start: START };
    it.each<[string, CorrectionPeriodInput]>([
      ['有期徒刑缓刑 of 1 year', { ...base, sentenceType: SentenceType.PROBATION, end: '2026-03-09', suspendedPenalty: SuspendedPenalty.FIXED_TERM }],
      ['拘役缓刑 of 4 months over a 4-month term', { ...base, sentenceType: SentenceType.PROBATION, end: '2025-07-09', suspendedPenalty: SuspendedPenalty.CRIMINAL_DETENTION, suspendedTermMonths: 4 }],
      ['管制 of 3 years for several offences', { ...base, sentenceType: SentenceType.CONTROL, end: '2028-03-09', combinedSentences: true }],
      ['管制 of 3 months less 10 days of credit', { ...base, sentenceType: SentenceType.CONTROL, end: '2025-05-30', detentionCreditDays: 10 }],
    ])('CC-6 accepts %s', (_label, input) => {
      expect(() => validateCorrectionPeriod(input)).not.toThrow();
    });

    it.each<[string, CorrectionPeriodInput, string]>([
      ['有期徒刑缓刑 of 6 months', { ...base, sentenceType: SentenceType.PROBATION, end: '2025-09-09', suspendedPenalty: SuspendedPenalty.FIXED_TERM }, 'correctionEndDate'],
      ['拘役缓刑 shorter than its 4-month term', { ...base, sentenceType: SentenceType.PROBATION, end: '2025-07-08', suspendedPenalty: SuspendedPenalty.CRIMINAL_DETENTION, suspendedTermMonths: 4 }, 'correctionEndDate'],
      ['管制 over 3 years for several offences', { ...base, sentenceType: SentenceType.CONTROL, end: '2028-03-11', combinedSentences: true }, 'correctionEndDate'],
      ['a suspended penalty on a 假释', { ...base, sentenceType: SentenceType.PAROLE, end: '2026-03-09', suspendedPenalty: SuspendedPenalty.FIXED_TERM }, 'suspendedPenalty'],
      ['detention credit on a probation', { ...base, sentenceType: SentenceType.PROBATION, end: '2026-03-09', detentionCreditDays: 5 }, 'detentionCreditDays'],
      ['a 有期徒刑 term under 6 months (刑法 45)', { ...base, sentenceType: SentenceType.PROBATION, end: '2026-03-09', suspendedPenalty: SuspendedPenalty.FIXED_TERM, suspendedTermMonths: 5 }, 'suspendedTermMonths'],
    ])('CC-6 refuses %s', (_label, input, field) => {
      expect(refusal(input).field).toBe(field);
    });

    it('CC-6: correctionPeriodMisfit answers the window a stored period breaks (null when it fits)', () => {
      const stored = { ...base, sentenceType: SentenceType.PROBATION, end: '2025-09-09' };
      expect(correctionPeriodMisfit(stored)).toBeNull();
      expect(correctionPeriodMisfit({ ...stored, suspendedPenalty: SuspendedPenalty.FIXED_TERM })).toMatchObject({
        earliestEnd: '2026-03-09',
        latestEnd: '2030-03-10',
      });
    });
  });

  describe('CC-3 notice deadline', () => {
    it('CC-3: 5 days after the judgment, moved past a weekend (CC-23); days late counted from it', () => {
      expect(correctionNoticeDeadline('2026-09-16')).toBe('2026-09-21');
      expect(correctionNoticeDeadline('2026-11-10')).toBe('2026-11-16');
      expect(daysLate('2026-09-21', '2026-11-20')).toBe(60);
      expect(daysLate('2026-09-21', '2026-09-20')).toBe(0);
    });
  });
});

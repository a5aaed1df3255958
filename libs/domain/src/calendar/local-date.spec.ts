import { DomainError, DomainErrorCode } from '../errors/domain-error';
import {
  addDays,
  addMonths,
  addYears,
  compareLocalDate,
  dayOfWeek,
  daysBetween,
  fromEpochDay,
  toEpochDay,
  isLocalDate,
  isWeekend,
  lastDayOfPeriod,
  localDateInShanghai,
  maxLocalDate,
  minLocalDate,
  monthOf,
  monthRange,
  parseLocalDate,
  quarterOf,
  quarterRange,
  startOfLocalDateInShanghai,
} from './local-date';

describe('LocalDate', () => {
  describe(isLocalDate.name, () => {
    it.each(['2025-01-01', '2024-02-29', '2000-02-29', '1949-12-31', '2025-12-31'])('accepts the real date %s', (s) => {
      expect(isLocalDate(s)).toBe(true);
    });

    it.each([
      '2025-02-29', // not a leap year
      '1900-02-29', // century, not a leap year
      '2025-02-30',
      '2025-04-31',
      '2025-13-01',
      '2025-00-10',
      '2025-01-00',
      '2025-1-01',
      ' 2025-01-01',
      '2025/01/01',
      '20250101',
      '2025-01-01T00:00:00Z',
      '',
    ])('rejects %j', (s) => {
      expect(isLocalDate(s)).toBe(false);
    });
  });

  describe(parseLocalDate.name, () => {
    it('trims and returns a real date', () => {
      expect(parseLocalDate(' 2025-03-10 ')).toBe('2025-03-10');
    });

    it('throws DATE_INVALID naming the field', () => {
      let error: unknown;
      try {
        parseLocalDate('2025-02-30', 'judgmentEffectiveDate');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe(DomainErrorCode.DATE_INVALID);
      expect((error as DomainError).field).toBe('judgmentEffectiveDate');
    });
  });

  describe(compareLocalDate.name, () => {
    it('orders dates', () => {
      expect(compareLocalDate('2025-01-02', '2025-01-10')).toBeLessThan(0);
      expect(compareLocalDate('2025-10-01', '2025-09-30')).toBeGreaterThan(0);
      expect(compareLocalDate('2025-10-01', '2025-10-01')).toBe(0);
      expect(minLocalDate('2025-10-01', '2025-09-30')).toBe('2025-09-30');
      expect(maxLocalDate('2025-10-01', '2025-09-30')).toBe('2025-10-01');
    });

    it('throws on a non-date', () => {
      expect(() => compareLocalDate('2025-02-30', '2025-01-01')).toThrow(DomainError);
    });
  });

  describe(addDays.name, () => {
    it.each([
      ['2025-03-10', 10, '2025-03-20'],
      ['2025-01-25', 10, '2025-02-04'],
      ['2025-12-25', 10, '2026-01-04'],
      ['2024-02-28', 1, '2024-02-29'],
      ['2025-02-28', 1, '2025-03-01'],
      ['2025-03-01', -1, '2025-02-28'],
      ['2025-01-01', -1, '2024-12-31'],
      ['2025-06-15', 0, '2025-06-15'],
      ['2025-01-01', 365, '2026-01-01'],
    ])('%s + %d days = %s', (date, n, expected) => {
      expect(addDays(date, n)).toBe(expected);
    });

    it('rejects a fractional n and a bad date', () => {
      expect(() => addDays('2025-01-01', 1.5)).toThrow(RangeError);
      expect(() => addDays('2025-02-29', 1)).toThrow(DomainError);
    });
  });

  describe(addMonths.name, () => {
    it.each([
      ['2025-03-10', 3, '2025-06-10'],
      ['2025-01-31', 1, '2025-02-28'],
      ['2024-01-31', 1, '2024-02-29'],
      ['2025-11-30', 3, '2026-02-28'],
      ['2025-03-31', -1, '2025-02-28'],
      ['2025-01-15', -13, '2023-12-15'],
    ])('%s + %d months = %s', (date, n, expected) => {
      expect(addMonths(date, n)).toBe(expected);
    });

    it('issue 7 item 8: lastDayOfPeriod is the day before the corresponding day, or the month end when there is none', () => {
      expect(lastDayOfPeriod('2025-03-10', 12)).toBe('2026-03-09');
      // 3 months from 2026-11-30: no 30 February → the period runs to 2027-02-28 (addMonths − 1 day gave 02-27)
      expect(lastDayOfPeriod('2026-11-30', 3)).toBe('2027-02-28');
      expect(lastDayOfPeriod('2025-01-31', 1)).toBe('2025-02-28');
      expect(lastDayOfPeriod('2024-01-30', 1)).toBe('2024-02-29');
      expect(lastDayOfPeriod('2024-01-29', 1)).toBe('2024-02-28');
      // CC-20 3 years from 2028-03-01 end on 2031-02-28 (365.25-day years gave 2031-03-01)
      expect(lastDayOfPeriod('2028-03-01', 36)).toBe('2031-02-28');
      expect(lastDayOfPeriod('2028-02-29', 12)).toBe('2029-02-28');
      expect(lastDayOfPeriod('2026-12-31', 2)).toBe('2027-02-28');
      expect(lastDayOfPeriod('2026-12-01', 1)).toBe('2026-12-31');
      expect(() => lastDayOfPeriod('2026-12-01', 0)).toThrow(RangeError);
    });

    it('adds years, clamping 29 February', () => {
      expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
      expect(addYears('2025-03-10', 5)).toBe('2030-03-10');
    });
  });

  describe(daysBetween.name, () => {
    it('counts whole days either way', () => {
      expect(daysBetween('2025-01-01', '2025-12-31')).toBe(364);
      expect(daysBetween('2025-03-20', '2025-03-10')).toBe(-10);
    });
  });

  describe(toEpochDay.name, () => {
    it('counts days from 1970-01-01, across month ends and leap days, and fromEpochDay is its inverse', () => {
      expect(toEpochDay('1970-01-01')).toBe(0);
      expect(toEpochDay('1969-12-31')).toBe(-1);
      expect(toEpochDay('2028-03-01') - toEpochDay('2028-02-28')).toBe(2);
      for (const d of ['0001-01-01', '1999-12-31', '2028-02-29', '2026-12-02']) {
        expect(fromEpochDay(toEpochDay(d))).toBe(d);
        expect(fromEpochDay(toEpochDay(d) + 40)).toBe(addDays(d, 40));
      }
    });

    it('refuses what is not a date, like the other functions', () => {
      expect(() => toEpochDay('2025-02-29')).toThrow(DomainError);
      expect(() => fromEpochDay(1.5)).toThrow(RangeError);
    });
  });

  describe(dayOfWeek.name, () => {
    it('knows the weekday (0 = Sunday)', () => {
      expect(dayOfWeek('2025-01-01')).toBe(3); // Wednesday
      expect(dayOfWeek('2026-02-14')).toBe(6); // Saturday
      expect(isWeekend('2025-01-26')).toBe(true); // Sunday
      expect(isWeekend('2025-01-27')).toBe(false);
    });
  });

  describe('months and quarters', () => {
    it('monthOf / quarterOf', () => {
      expect(monthOf('2025-03-14')).toBe('2025-03');
      expect(quarterOf('2025-01-01')).toBe('2025-Q1');
      expect(quarterOf('2025-03-31')).toBe('2025-Q1');
      expect(quarterOf('2025-04-01')).toBe('2025-Q2');
      expect(quarterOf('2025-09-30')).toBe('2025-Q3');
      expect(quarterOf('2025-12-31')).toBe('2025-Q4');
    });

    it('monthRange / quarterRange give first and last days', () => {
      expect(monthRange('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
      expect(monthRange('2025-12')).toEqual({ start: '2025-12-01', end: '2025-12-31' });
      expect(quarterRange('2025-Q4')).toEqual({ start: '2025-10-01', end: '2025-12-31' });
      expect(quarterRange('2025-Q1')).toEqual({ start: '2025-01-01', end: '2025-03-31' });
      expect(() => monthRange('2025-13')).toThrow(DomainError);
      expect(() => quarterRange('2025-Q5')).toThrow(DomainError);
    });
  });

  describe('Asia/Shanghai', () => {
    it('localDateInShanghai turns at 16:00 UTC', () => {
      expect(localDateInShanghai(new Date('2025-01-01T15:59:59.999Z'))).toBe('2025-01-01');
      expect(localDateInShanghai(new Date('2025-01-01T16:00:00.000Z'))).toBe('2025-01-02');
      expect(localDateInShanghai(new Date('2025-12-31T16:00:00+00:00'))).toBe('2026-01-01');
      expect(localDateInShanghai(new Date('2025-07-01T00:30:00+08:00'))).toBe('2025-07-01');
    });

    it('startOfLocalDateInShanghai is 00:00 +08:00, the inverse of localDateInShanghai', () => {
      expect(startOfLocalDateInShanghai('2025-01-02').toISOString()).toBe('2025-01-01T16:00:00.000Z');
      for (const d of ['2024-02-29', '2025-01-01', '2025-07-15', '2025-12-31']) {
        expect(localDateInShanghai(startOfLocalDateInShanghai(d))).toBe(d);
        expect(localDateInShanghai(new Date(startOfLocalDateInShanghai(d).getTime() - 1))).toBe(addDays(d, -1));
      }
    });

    it('rejects an invalid instant', () => {
      expect(() => localDateInShanghai(new Date('nope'))).toThrow(DomainError);
    });
  });
});

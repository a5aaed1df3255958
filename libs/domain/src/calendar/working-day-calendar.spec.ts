import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { HOLIDAY_TABLES, HOLIDAYS_2025, HOLIDAYS_2026, HOLIDAYS_2027_PROVISIONAL, type HolidayTable } from './holiday-tables';
import { addDays, isWeekend } from './local-date';
import { DEFAULT_CALENDAR, WorkingDayCalendar, addWorkingDays, isWorkingDay } from './working-day-calendar';

function catchError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe(WorkingDayCalendar.name, () => {
  describe('holiday tables', () => {
    it('covers 2025, 2026 and a provisional 2027', () => {
      expect(DEFAULT_CALENDAR.years).toEqual([2025, 2026, 2027]);
      expect(DEFAULT_CALENDAR.isProvisional(2025)).toBe(false);
      expect(DEFAULT_CALENDAR.isProvisional(2026)).toBe(false);
      expect(DEFAULT_CALENDAR.isProvisional(2027)).toBe(true);
      expect(DEFAULT_CALENDAR.isProvisional(2030)).toBe(true);
      expect(HOLIDAY_TABLES).toHaveLength(3);
    });

    it.each([HOLIDAYS_2025, HOLIDAYS_2026])(
      'the $year notice gives exactly the 13 statutory days net of 调休 (weekday days off − working weekends)',
      (table: HolidayTable) => {
        const weekdayDaysOff = table.holidays.filter((d) => !isWeekend(d)).length;
        expect(weekdayDaysOff - table.workingWeekends.length).toBe(13);
      },
    );

    it('the provisional 2027 table has the 13 statutory days and no 调休', () => {
      expect(HOLIDAYS_2027_PROVISIONAL.holidays).toHaveLength(13);
      expect(HOLIDAYS_2027_PROVISIONAL.workingWeekends).toEqual([]);
    });

    it('counts 248 working days in 2025 and in 2026', () => {
      for (const year of [2025, 2026]) {
        const count = DEFAULT_CALENDAR.workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`);
        expect(count).toBe(248);
      }
    });
  });

  describe('isWorkingDay', () => {
    it.each([
      // 2025 Spring Festival: 1月28日–2月4日 off, 1月26日 (Sun) and 2月8日 (Sat) worked
      ['2025-01-24', true],
      ['2025-01-25', false],
      ['2025-01-26', true],
      ['2025-01-27', true],
      ['2025-01-28', false],
      ['2025-01-29', false],
      ['2025-02-03', false],
      ['2025-02-04', false],
      ['2025-02-05', true],
      ['2025-02-08', true],
      ['2025-02-09', false],
      // 2025 Labour Day (5 days incl. the new 5月2日), 4月27日 (Sun) worked
      ['2025-04-27', true],
      ['2025-05-02', false],
      ['2025-05-05', false],
      ['2025-05-06', true],
      // 2025 National Day + Mid-Autumn: 10月1日–8日 off, 9月28日 and 10月11日 worked
      ['2025-09-28', true],
      ['2025-10-08', false],
      ['2025-10-09', true],
      ['2025-10-11', true],
      // 2026 New Year: 1月4日 (Sun) worked
      ['2026-01-02', false],
      ['2026-01-04', true],
      // 2026 Spring Festival: 2月15日–23日 off, 2月14日 and 2月28日 (Sat) worked
      ['2026-02-13', true],
      ['2026-02-14', true],
      ['2026-02-16', false],
      ['2026-02-23', false],
      ['2026-02-24', true],
      ['2026-02-28', true],
      // 2026 Labour Day 5月9日 (Sat) worked; 端午 6月19日; 中秋 9月25日; 国庆 9月20日 and 10月10日 worked
      ['2026-05-05', false],
      ['2026-05-09', true],
      ['2026-06-19', false],
      ['2026-09-20', true],
      ['2026-09-25', false],
      ['2026-10-07', false],
      ['2026-10-08', true],
      ['2026-10-10', true],
      // provisional 2027: statutory days only
      ['2027-01-01', false],
      ['2027-02-05', false],
      ['2027-02-08', false],
      ['2027-02-09', true],
      ['2027-10-01', false],
      ['2027-10-04', true],
      // outside the covered years: Monday–Friday
      ['2024-10-01', true],
      ['2024-10-05', false],
      ['2028-01-03', true],
      ['2028-01-01', false],
      // plain weeks
      ['2025-03-14', true],
      ['2025-03-15', false],
      ['2025-03-16', false],
    ])('%s working: %s', (date, expected) => {
      expect(isWorkingDay(date)).toBe(expected);
      expect(DEFAULT_CALENDAR.isWorkingDay(date)).toBe(expected);
    });

    it('rejects a non-date', () => {
      expect(() => isWorkingDay('2025-02-29')).toThrow(DomainError);
    });
  });

  describe('addWorkingDays (start day not counted, 刑诉法 105)', () => {
    it.each([
      ['2025-03-03', 1, '2025-03-04'], // Monday → Tuesday
      ['2025-03-07', 1, '2025-03-10'], // Friday → Monday
      ['2025-03-01', 1, '2025-03-03'], // from a Saturday
      ['2025-03-03', 5, '2025-03-10'],
      ['2025-03-03', 10, '2025-03-17'],
      ['2025-03-03', 0, '2025-03-03'],
      // Spring Festival 2025: a Sunday 调休 counts, the break does not
      ['2025-01-24', 1, '2025-01-26'],
      ['2025-01-24', 2, '2025-01-27'],
      ['2025-01-24', 3, '2025-02-05'],
      ['2025-02-07', 1, '2025-02-08'], // Saturday 2月8日 worked
      // Spring Festival 2026
      ['2026-02-13', 1, '2026-02-14'],
      ['2026-02-13', 2, '2026-02-24'],
      ['2026-02-27', 1, '2026-02-28'],
      // National Day 2025
      ['2025-09-26', 10, '2025-10-16'],
      ['2025-09-30', 1, '2025-10-09'],
      ['2025-09-30', 3, '2025-10-11'],
      // National Day 2026
      ['2026-09-30', 3, '2026-10-10'],
      ['2026-09-18', 1, '2026-09-20'],
      // across a year end: 2026-01-04 (Sunday) is a 调休 working day
      ['2025-12-31', 1, '2026-01-04'],
      ['2025-12-31', 2, '2026-01-05'],
      // backwards
      ['2025-02-05', -1, '2025-01-27'],
      ['2025-10-09', -1, '2025-09-30'],
      ['2025-03-10', -1, '2025-03-07'],
    ])('%s + %d working days = %s', (date, n, expected) => {
      expect(addWorkingDays(date, n)).toBe(expected);
    });

    it('agrees with workingDaysBetween over two years, both ways', () => {
      for (let d = '2025-01-01'; d < '2027-01-01'; d = addDays(d, 3)) {
        for (const n of [1, 5, 10, 23]) {
          const forward = addWorkingDays(d, n);
          expect(isWorkingDay(forward)).toBe(true);
          expect(DEFAULT_CALENDAR.workingDaysBetween(d, forward)).toBe(n);
          // no working day is skipped: the day before the result leaves n − 1
          expect(DEFAULT_CALENDAR.workingDaysBetween(d, addDays(forward, -1))).toBe(n - 1);
          // backwards: n working days in [result, d)
          const backward = addWorkingDays(d, -n);
          expect(isWorkingDay(backward)).toBe(true);
          expect(DEFAULT_CALENDAR.workingDaysBetween(addDays(backward, -1), addDays(d, -1))).toBe(n);
          expect(DEFAULT_CALENDAR.workingDaysBetween(backward, d) + DEFAULT_CALENDAR.workingDaysBetween(d, backward)).toBe(0);
        }
      }
    });

    it('workingDaysBetween is 0 for the same day and never -0', () => {
      expect(DEFAULT_CALENDAR.workingDaysBetween('2025-03-03', '2025-03-03')).toBe(0);
      expect(DEFAULT_CALENDAR.workingDaysBetween('2025-03-09', '2025-03-08')).toBe(0);
      expect(DEFAULT_CALENDAR.workingDaysBetween('2025-03-10', '2025-03-07')).toBe(-1);
    });

    it('rejects a fractional n', () => {
      expect(() => addWorkingDays('2025-03-03', 1.5)).toThrow(RangeError);
    });
  });

  describe('nextWorkingDayOnOrAfter', () => {
    it('skips the Spring Festival break', () => {
      expect(DEFAULT_CALENDAR.nextWorkingDayOnOrAfter('2025-01-28')).toBe('2025-02-05');
      expect(DEFAULT_CALENDAR.nextWorkingDayOnOrAfter('2025-01-27')).toBe('2025-01-27');
    });
  });

  describe('replaceable reference data', () => {
    it('a calendar built from the bureau’s own table uses it (e.g. the published 2027 notice)', () => {
      const published: HolidayTable = {
        year: 2027,
        holidays: ['2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11'],
        workingWeekends: ['2027-02-13'],
      };
      const cal = new WorkingDayCalendar([HOLIDAYS_2025, HOLIDAYS_2026, published]);
      expect(cal.isProvisional(2027)).toBe(false);
      expect(cal.isWorkingDay('2027-02-13')).toBe(true);
      expect(cal.isWorkingDay('2027-02-10')).toBe(false);
      expect(DEFAULT_CALENDAR.isWorkingDay('2027-02-10')).toBe(true);
      expect(addWorkingDays('2027-02-04', 1, cal)).toBe('2027-02-12');
    });

    it('a calendar without tables is Monday–Friday', () => {
      const plain = new WorkingDayCalendar([]);
      expect(plain.isWorkingDay('2025-10-01')).toBe(true);
      expect(plain.isWorkingDay('2025-09-28')).toBe(false);
      expect(plain.covers(2025)).toBe(false);
    });

    it.each<[string, HolidayTable[]]>([
      ['a working weekend on a weekday', [{ year: 2025, holidays: [], workingWeekends: ['2025-01-27'] }]],
      ['a date outside its year', [{ year: 2025, holidays: ['2026-01-01'], workingWeekends: [] }]],
      ['a non-date', [{ year: 2025, holidays: ['2025-02-30'], workingWeekends: [] }]],
      ['a day both off and worked', [{ year: 2025, holidays: ['2025-01-26'], workingWeekends: ['2025-01-26'] }]],
      [
        'the same year twice',
        [
          { year: 2025, holidays: [], workingWeekends: [] },
          { year: 2025, holidays: [], workingWeekends: [] },
        ],
      ],
    ])('refuses a table with %s (VALIDATION_FAILED)', (_label, tables) => {
      expect(catchError(() => new WorkingDayCalendar(tables)).code).toBe(DomainErrorCode.VALIDATION_FAILED);
    });
  });
});

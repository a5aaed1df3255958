import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { HOLIDAY_TABLES, type HolidayTable } from './holiday-tables';
import { addDays, compareLocalDate, isLocalDate, isWeekend, type LocalDate } from './local-date';

/**
 * Working days: Monday–Friday minus the State Council's holidays, plus the weekend days
 * it declares working days (调休). Years without a table: plain Monday–Friday.
 */
export class WorkingDayCalendar {
  private readonly holidays = new Set<LocalDate>();
  private readonly workingWeekends = new Set<LocalDate>();
  private readonly tables = new Map<number, HolidayTable>();

  /** @throws DomainError(VALIDATION_FAILED) when a table is inconsistent. */
  constructor(tables: readonly HolidayTable[]) {
    for (const table of tables) {
      WorkingDayCalendar.validate(table, this.tables);
      this.tables.set(table.year, table);
      table.holidays.forEach((d) => this.holidays.add(d));
      table.workingWeekends.forEach((d) => this.workingWeekends.add(d));
    }
  }

  private static validate(table: HolidayTable, seen: ReadonlyMap<number, HolidayTable>): void {
    const fail = (problem: string): never => {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `Holiday table ${table.year}: ${problem} / 节假日表有误`, {
        details: { year: table.year },
      });
    };
    if (!Number.isInteger(table.year)) fail('year must be an integer');
    if (seen.has(table.year)) fail('year given twice');
    const holidays = new Set(table.holidays);
    for (const d of [...table.holidays, ...table.workingWeekends]) {
      if (!isLocalDate(d)) fail(`"${d}" is not a date YYYY-MM-DD`);
      if (Number(d.slice(0, 4)) !== table.year) fail(`${d} is outside the year`);
    }
    for (const d of table.workingWeekends) {
      if (!isWeekend(d)) fail(`${d} is listed as a working weekend but is not a Saturday or Sunday`);
      if (holidays.has(d)) fail(`${d} is both a holiday and a working weekend`);
    }
  }

  /** Years with a table. */
  get years(): number[] {
    return [...this.tables.keys()].sort((a, b) => a - b);
  }

  covers(year: number): boolean {
    return this.tables.has(year);
  }

  /** True when the year's table is provisional (or missing): results in that year may change. */
  isProvisional(year: number): boolean {
    const t = this.tables.get(year);
    return t === undefined || t.provisional === true;
  }

  isHoliday(date: LocalDate): boolean {
    return this.holidays.has(date);
  }

  isWorkingDay(date: LocalDate): boolean {
    if (this.workingWeekends.has(date)) return true;
    if (isWeekend(date)) return false;
    return !this.holidays.has(date);
  }

  /**
   * The n-th working day after `date` (before it when n < 0). The start day itself is
   * not counted (刑诉法 105), whether or not it is a working day. n = 0 → `date`.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new RangeError(`addWorkingDays: n must be an integer, got ${n}`);
    const step = n < 0 ? -1 : 1;
    let remaining = Math.abs(n);
    let d = addDays(date, 0);
    while (remaining > 0) {
      d = addDays(d, step);
      if (this.isWorkingDay(d)) remaining--;
    }
    return d;
  }

  /** The first working day on or after `date`. */
  nextWorkingDayOnOrAfter(date: LocalDate): LocalDate {
    let d = addDays(date, 0);
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /**
   * Working days in (from, to]: not counting `from`, counting `to`. Negative when `to`
   * is before `from`. workingDaysBetween(d, addWorkingDays(d, n)) === n.
   */
  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    const cmp = compareLocalDate(from, to);
    if (cmp === 0) return 0;
    if (cmp > 0) return 0 - this.workingDaysBetween(to, from) || 0;
    let count = 0;
    for (let d = addDays(from, 1); compareLocalDate(d, to) <= 0; d = addDays(d, 1)) {
      if (this.isWorkingDay(d)) count++;
    }
    return count;
  }
}

/** The calendar built from the shipped tables (2025, 2026, provisional 2027). */
export const DEFAULT_CALENDAR = new WorkingDayCalendar(HOLIDAY_TABLES);

let active: WorkingDayCalendar = DEFAULT_CALENDAR;

/**
 * The calendar in force in this process: the shipped tables until the app loads the holiday tables
 * of the reference data (community-correction's `ReferenceDataService`, at boot and after every
 * change). Every deadline function without an explicit calendar uses it.
 */
export function activeCalendar(): WorkingDayCalendar {
  return active;
}

/** Replaces the calendar in force (reference data loaded or changed); `undefined` restores the shipped one. */
export function setActiveCalendar(calendar: WorkingDayCalendar | undefined): void {
  active = calendar ?? DEFAULT_CALENDAR;
}

export function isWorkingDay(date: LocalDate, calendar: WorkingDayCalendar = activeCalendar()): boolean {
  return calendar.isWorkingDay(date);
}

/** The n-th working day after `date`; the start day is not counted (刑诉法 105). */
export function addWorkingDays(date: LocalDate, n: number, calendar: WorkingDayCalendar = activeCalendar()): LocalDate {
  return calendar.addWorkingDays(date, n);
}

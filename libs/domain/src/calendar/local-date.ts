import { DomainError, DomainErrorCode } from '../errors/domain-error';

/** A calendar date without time or zone, `YYYY-MM-DD` (dates in Homeward are Asia/Shanghai dates). */
export type LocalDate = string;
/** A calendar month, `YYYY-MM`. */
export type YearMonth = string;
/** A calendar quarter, `YYYY-Qn` (n = 1..4). */
export type YearQuarter = string;

const LOCAL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** Asia/Shanghai is UTC+8 all year (no daylight saving since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function split(date: LocalDate): [number, number, number] {
  const m = LOCAL_DATE_PATTERN.exec(date);
  if (!m || !isLocalDate(date)) {
    throw new DomainError(DomainErrorCode.DATE_INVALID, `Not a date YYYY-MM-DD: "${date}" / 日期格式无效`);
  }
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function fromUtcMs(ms: number): LocalDate {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

function toUtcMs(date: LocalDate): number {
  const [y, m, d] = split(date);
  const t = new Date(0);
  t.setUTCFullYear(y, m - 1, d);
  return t.getTime();
}

/**
 * The date as a day number (days since 1970-01-01; checked like every other function here), for loops
 * that step through many days: integer arithmetic instead of parsing a string at each step.
 */
export function toEpochDay(date: LocalDate): number {
  return toUtcMs(date) / DAY_MS;
}

/** The inverse of `toEpochDay`. */
export function fromEpochDay(day: number): LocalDate {
  if (!Number.isInteger(day)) throw new RangeError(`fromEpochDay: day must be an integer, got ${day}`);
  return fromUtcMs(day * DAY_MS);
}

/** True when `s` is exactly `YYYY-MM-DD` and a real calendar date (no 2025-02-29, no 2025-13-01). */
export function isLocalDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = LOCAL_DATE_PATTERN.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/**
 * Checks and returns a LocalDate. Surrounding blanks are trimmed.
 * @throws DomainError(DATE_INVALID) naming `field` when given.
 */
export function parseLocalDate(raw: string, field?: string): LocalDate {
  const s = typeof raw === 'string' ? raw.trim() : raw;
  if (typeof s !== 'string' || !isLocalDate(s)) {
    throw new DomainError(
      DomainErrorCode.DATE_INVALID,
      `${field ?? 'date'} must be a real calendar date YYYY-MM-DD / 日期无效，应为 YYYY-MM-DD 格式的真实日期`,
      field === undefined ? undefined : { field },
    );
  }
  return s;
}

/** Negative when a < b, 0 when equal, positive when a > b. */
export function compareLocalDate(a: LocalDate, b: LocalDate): number {
  split(a);
  split(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isBefore(a: LocalDate, b: LocalDate): boolean {
  return compareLocalDate(a, b) < 0;
}

export function isAfter(a: LocalDate, b: LocalDate): boolean {
  return compareLocalDate(a, b) > 0;
}

export function minLocalDate(a: LocalDate, b: LocalDate): LocalDate {
  return compareLocalDate(a, b) <= 0 ? a : b;
}

export function maxLocalDate(a: LocalDate, b: LocalDate): LocalDate {
  return compareLocalDate(a, b) >= 0 ? a : b;
}

/** The date `n` calendar days after `date` (before it when n is negative). */
export function addDays(date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`addDays: n must be an integer, got ${n}`);
  return fromUtcMs(toUtcMs(date) + n * DAY_MS);
}

/**
 * The same day-of-month `n` months later (earlier when negative), clamped to the end
 * of a shorter month: 2025-01-31 + 1 month = 2025-02-28.
 */
export function addMonths(date: LocalDate, n: number): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`addMonths: n must be an integer, got ${n}`);
  const [y, m, d] = split(date);
  const index = y * 12 + (m - 1) + n;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(Math.min(d, daysInMonth(year, month)), 2)}`;
}

export function addYears(date: LocalDate, n: number): LocalDate {
  return addMonths(date, n * 12);
}

/**
 * The last day (inclusive) of a period of `months` calendar months that starts on `start`, as
 * the criminal law counts a period in months or years (刑法 / 刑诉法 105: 以月、年计算的期限，
 * 至期满月的对应日的前一日为止；期满月没有对应日的，以该月最后一日为止): the day before the
 * corresponding day of the last month, or that month's last day when it has no such day.
 *
 * 2025-03-10 + 12 → 2026-03-09; 2026-11-30 + 3 → 2027-02-28 (no 30 Feb); 2025-01-31 + 1 →
 * 2025-02-28; 2028-03-01 + 36 → 2031-02-28; 2028-02-29 + 12 → 2029-02-28. Never a day-count
 * approximation (365.25-day years): use this for every period of months or years.
 */
export function lastDayOfPeriod(start: LocalDate, months: number): LocalDate {
  if (!Number.isInteger(months) || months < 1) throw new RangeError(`lastDayOfPeriod: months must be a positive integer, got ${months}`);
  const [y, m, d] = split(start);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = daysInMonth(year, month);
  if (d > last) return `${pad(year, 4)}-${pad(month, 2)}-${pad(last, 2)}`;
  return addDays(`${pad(year, 4)}-${pad(month, 2)}-${pad(d, 2)}`, -1);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

export function isWeekend(date: LocalDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

export function yearOf(date: LocalDate): number {
  return split(date)[0];
}

/** `2025-03-14` → `2025-03`. */
export function monthOf(date: LocalDate): YearMonth {
  split(date);
  return date.slice(0, 7);
}

/** `2025-05-14` → `2025-Q2`. */
export function quarterOf(date: LocalDate): YearQuarter {
  const [y, m] = split(date);
  return `${pad(y, 4)}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/** First and last day of a month `YYYY-MM`. */
export function monthRange(month: YearMonth): { start: LocalDate; end: LocalDate } {
  const start = `${month}-01`;
  if (!/^\d{4}-\d{2}$/.test(month) || !isLocalDate(start)) {
    throw new DomainError(DomainErrorCode.DATE_INVALID, `Not a month YYYY-MM: "${month}" / 月份无效`);
  }
  return { start, end: addDays(addMonths(start, 1), -1) };
}

/** First and last day of a quarter `YYYY-Qn`. */
export function quarterRange(quarter: YearQuarter): { start: LocalDate; end: LocalDate } {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) throw new DomainError(DomainErrorCode.DATE_INVALID, `Not a quarter YYYY-Qn: "${quarter}" / 季度无效`);
  const start = `${m[1]}-${pad((Number(m[2]) - 1) * 3 + 1, 2)}-01`;
  return { start, end: addDays(addMonths(start, 3), -1) };
}

/** The Asia/Shanghai calendar date of an instant. */
export function localDateInShanghai(instant: Date): LocalDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new DomainError(DomainErrorCode.DATE_INVALID, 'Invalid instant / 时间无效');
  return fromUtcMs(ms + SHANGHAI_OFFSET_MS);
}

/** The instant 00:00 Asia/Shanghai of a date (16:00 UTC the day before). */
export function startOfLocalDateInShanghai(date: LocalDate): Date {
  return new Date(toUtcMs(date) - SHANGHAI_OFFSET_MS);
}

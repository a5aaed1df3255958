import type { LocalDate } from './local-date';
import HOLIDAYS_2025_FILE from '../reference/holidays-2025.json';
import HOLIDAYS_2026_FILE from '../reference/holidays-2026.json';
import HOLIDAYS_2027_FILE from '../reference/holidays-2027.json';

/**
 * One year of the State Council's holiday arrangement (国务院办公厅关于部分节假日安排的通知).
 * Reference data: the bureau can replace a table (e.g. when a notice is published) by
 * building a new `WorkingDayCalendar` from its own tables.
 */
export interface HolidayTable {
  year: number;
  /** Every day off of each holiday break, weekends inside a break included. */
  holidays: LocalDate[];
  /** Saturdays/Sundays declared working days (调休上班). */
  workingWeekends: LocalDate[];
  /** True when the table is a guess (notice not yet published): replace it when it is. */
  provisional?: boolean;
  /** Where the table comes from (document number). */
  source?: string;
}

/** PROVISIONAL: a guess until the State Council notice is published; OFFICIAL: the published notice. */
export type HolidayTableStatus = 'PROVISIONAL' | 'OFFICIAL';

/**
 * A holiday table as kept in the repository's reference files (`libs/domain/src/reference/holidays-<year>.json`,
 * loaded into the database by `npm run cli -- seed`): holiday breaks as date ranges, 调休 weekends as dates.
 */
export interface HolidayTableFile {
  year: number;
  status: HolidayTableStatus;
  source?: string;
  note?: string;
  holidays: Array<{ name?: string; from: LocalDate; to: LocalDate } | LocalDate>;
  workingWeekends: LocalDate[];
}

/** All dates from `from` to `to` inclusive (same month or across months of one year). */
function span(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** The table of a reference file: ranges expanded, sorted, duplicates dropped. Validation is `WorkingDayCalendar`'s. */
export function holidayTableFromFile(file: HolidayTableFile): HolidayTable {
  const days = new Set<LocalDate>();
  for (const h of file.holidays) {
    if (typeof h === 'string') days.add(h);
    else span(h.from, h.to).forEach((d) => days.add(d));
  }
  return {
    year: file.year,
    holidays: [...days].sort(),
    workingWeekends: [...new Set(file.workingWeekends)].sort(),
    ...(file.status === 'PROVISIONAL' ? { provisional: true } : {}),
    ...(file.source ? { source: file.source } : {}),
  };
}

/**
 * 2025: 国办发明电〔2024〕12号 (the first year under the amended 全国年节及纪念日放假办法:
 * 春节 +1 day (除夕) and 劳动节 +1 day (5月2日)).
 */
export const HOLIDAYS_2025: HolidayTable = holidayTableFromFile(HOLIDAYS_2025_FILE as HolidayTableFile);

/** 2026: 国办发明电〔2025〕7号 (published 2025-11-04). */
export const HOLIDAYS_2026: HolidayTable = holidayTableFromFile(HOLIDAYS_2026_FILE as HolidayTableFile);

/**
 * 2027: PROVISIONAL. The State Council notice for 2027 is not known here. This table
 * holds only the statutory holidays of 全国年节及纪念日放假办法 (2024 revision) on their
 * own dates — 元旦 1 day, 春节 4 days (除夕–初三), 清明 1, 劳动节 2, 端午 1, 中秋 1,
 * 国庆 3 — with no 调休 and no 补假 for those falling on weekends.
 * Replaced (in the database, by a CITY_ADMIN through `setHolidayTable`) with the published notice.
 */
export const HOLIDAYS_2027_PROVISIONAL: HolidayTable = holidayTableFromFile(HOLIDAYS_2027_FILE as HolidayTableFile);

/** The shipped reference files, in year order: what `seed` loads and what an app without the database tables uses. */
export const HOLIDAY_TABLE_FILES: readonly HolidayTableFile[] = [HOLIDAYS_2025_FILE, HOLIDAYS_2026_FILE, HOLIDAYS_2027_FILE] as HolidayTableFile[];

export const HOLIDAY_TABLES: readonly HolidayTable[] = [HOLIDAYS_2025, HOLIDAYS_2026, HOLIDAYS_2027_PROVISIONAL];

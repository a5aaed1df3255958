import type { LocalDate } from './local-date';

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

/** All dates from `from` to `to` inclusive (same month or across months of one year). */
function span(from: LocalDate, to: LocalDate): LocalDate[] {
  const out: LocalDate[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * 2025: 国办发明电〔2024〕12号 (the first year under the amended 全国年节及纪念日放假办法:
 * 春节 +1 day (除夕) and 劳动节 +1 day (5月2日)).
 */
export const HOLIDAYS_2025: HolidayTable = {
  year: 2025,
  source: '国办发明电〔2024〕12号',
  holidays: [
    '2025-01-01', // 元旦
    ...span('2025-01-28', '2025-02-04'), // 春节 (除夕 1月28日 – 正月初七), 8 days
    ...span('2025-04-04', '2025-04-06'), // 清明节
    ...span('2025-05-01', '2025-05-05'), // 劳动节
    ...span('2025-05-31', '2025-06-02'), // 端午节
    ...span('2025-10-01', '2025-10-08'), // 国庆节、中秋节, 8 days
  ],
  workingWeekends: [
    '2025-01-26', // Sun, 春节
    '2025-02-08', // Sat, 春节
    '2025-04-27', // Sun, 劳动节
    '2025-09-28', // Sun, 国庆节
    '2025-10-11', // Sat, 国庆节
  ],
};

/** 2026: 国办发明电〔2025〕7号 (published 2025-11-04). */
export const HOLIDAYS_2026: HolidayTable = {
  year: 2026,
  source: '国办发明电〔2025〕7号',
  holidays: [
    ...span('2026-01-01', '2026-01-03'), // 元旦
    ...span('2026-02-15', '2026-02-23'), // 春节 (腊月二十八 – 正月初七), 9 days
    ...span('2026-04-04', '2026-04-06'), // 清明节
    ...span('2026-05-01', '2026-05-05'), // 劳动节
    ...span('2026-06-19', '2026-06-21'), // 端午节
    ...span('2026-09-25', '2026-09-27'), // 中秋节
    ...span('2026-10-01', '2026-10-07'), // 国庆节
  ],
  workingWeekends: [
    '2026-01-04', // Sun, 元旦
    '2026-02-14', // Sat, 春节
    '2026-02-28', // Sat, 春节
    '2026-05-09', // Sat, 劳动节
    '2026-09-20', // Sun, 国庆节
    '2026-10-10', // Sat, 国庆节
  ],
};

/**
 * 2027: PROVISIONAL. The State Council notice for 2027 is not known here. This table
 * holds only the statutory holidays of 全国年节及纪念日放假办法 (2024 revision) on their
 * own dates — 元旦 1 day, 春节 4 days (除夕–初三), 清明 1, 劳动节 2, 端午 1, 中秋 1,
 * 国庆 3 — with no 调休 and no 补假 for those falling on weekends.
 * MUST BE REPLACED with the published notice (expected about November 2026).
 * Lunar dates: 春节 (正月初一) 2027-02-06, 端午 2027-06-09, 中秋 2027-09-15; 清明 2027-04-05.
 */
export const HOLIDAYS_2027_PROVISIONAL: HolidayTable = {
  year: 2027,
  provisional: true,
  source: '全国年节及纪念日放假办法 (statutory days only; provisional until the 2027 notice)',
  holidays: [
    '2027-01-01', // 元旦
    ...span('2027-02-05', '2027-02-08'), // 春节: 除夕 – 正月初三
    '2027-04-05', // 清明节
    '2027-05-01', // 劳动节
    '2027-05-02',
    '2027-06-09', // 端午节
    '2027-09-15', // 中秋节
    ...span('2027-10-01', '2027-10-03'), // 国庆节
  ],
  workingWeekends: [],
};

export const HOLIDAY_TABLES: readonly HolidayTable[] = [HOLIDAYS_2025, HOLIDAYS_2026, HOLIDAYS_2027_PROVISIONAL];

import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { LocalDate, addYears, compareLocalDate, isLocalDate, localDateInShanghai } from '@homeward/domain';

/** The clock the date windows are measured from: the app's injected Clock (createApp registers it). */
interface WindowClock {
  now(): Date;
}

let windowClock: WindowClock | undefined;

/**
 * Registers the clock the `@IsLocalDate` / `@IsInstant` windows are relative to. `createApp` calls
 * it with the app's Clock (FixedClock in tests, the controllable clock in e2e), so a window moves
 * with the clock the rules use. One process, one clock: the last app created wins.
 */
export function setInputWindowClock(clock: WindowClock | undefined): void {
  windowClock = clock;
}

/** Now on the registered clock; none registered (a bare class-validator call, small tests): windows are not checked. */
function nowForWindows(): Date | undefined {
  return windowClock?.now();
}

/** How far from today a date field may lie (whole years; omitted: that side is unbounded). */
export interface DateWindow {
  /** At most this many years before today (e.g. 1 for a document just received). */
  pastYears?: number;
  /** At most this many years after today (0: not in the future). */
  futureYears?: number;
}

/** The inclusive bounds `[from, to]` of a window on `today`. */
export function dateWindowBounds(window: DateWindow, today: LocalDate): { from?: LocalDate; to?: LocalDate } {
  return {
    from: window.pastYears === undefined ? undefined : addYears(today, -window.pastYears),
    to: window.futureYears === undefined ? undefined : addYears(today, window.futureYears),
  };
}

/** Windows for the kinds of date a partner or officer sends (docs/decisions.md "Input limits"). */
export const DATE_WINDOWS = {
  /** A birth date: a living person (at most 120 years ago), not in the future. */
  birth: { pastYears: 120, futureYears: 0 },
  /** A document issued or received: the last 5 years, not later than today. */
  document: { pastYears: 5, futureYears: 0 },
  /**
   * A day something happened, recorded now (reported on, decided on, found on…): the last 5 years,
   * at most a year ahead (the domain rules refuse a future day with 422 where it matters).
   */
  recorded: { pastYears: 5, futureYears: 1 },
  /** The day a judgment or ruling took effect: the last 10 years, at most a year ahead. */
  judgment: { pastYears: 10, futureYears: 1 },
  /** A start/end of a term being planned (correction, monitoring): 5 years back, 10 ahead. */
  period: { pastYears: 5, futureYears: 10 },
  /** A day being scheduled soon (a leave, a new due date): 1 year back, 2 ahead. */
  schedule: { pastYears: 1, futureYears: 2 },
  /** An instant reported now (a check-in, a location fix): the last year, at most a year ahead (device clocks drift; the rules judge). */
  instant: { pastYears: 1, futureYears: 1 },
} as const satisfies Record<string, DateWindow>;

/**
 * A real calendar date `YYYY-MM-DD` inside a window around today (the app's clock, Asia/Shanghai):
 * `@IsLocalDate(DATE_WINDOWS.recentPast)`. A 1900 received date or a 2099 document date is a 400.
 */
export function IsLocalDate(window: DateWindow = {}, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLocalDate',
      constraints: [window],
      validator: {
        validate: (value: unknown): boolean => {
          if (typeof value !== 'string' || !isLocalDate(value)) return false;
          const now = nowForWindows();
          if (!now) return true;
          const { from, to } = dateWindowBounds(window, localDateInShanghai(now));
          if (from !== undefined && compareLocalDate(value, from) < 0) return false;
          if (to !== undefined && compareLocalDate(value, to) > 0) return false;
          return true;
        },
        defaultMessage: (args?: ValidationArguments): string => {
          const property = args?.property ?? 'date';
          const now = nowForWindows();
          const { from, to } = now ? dateWindowBounds(window, localDateInShanghai(now)) : {};
          const range = `${from ?? '…'} – ${to ?? '…'}`;
          return `${property} must be a real date YYYY-MM-DD between ${range} / ${property} 应为 ${range} 之间的真实日期 (YYYY-MM-DD)`;
        },
      },
    },
    options,
  );
}

/** The window's bounds in epoch milliseconds on the registered clock (none registered: unbounded). */
function instantBounds(window: DateWindow): { from?: number; to?: number } {
  const now = nowForWindows();
  if (!now) return {};
  const today = localDateInShanghai(now);
  const { from, to } = dateWindowBounds(window, today);
  // a day's slack on each side: the window is in days, the instant in milliseconds
  return {
    from: from === undefined ? undefined : Date.parse(`${from}T00:00:00+08:00`) - 86_400_000,
    to: to === undefined ? undefined : Date.parse(`${to}T00:00:00+08:00`) + 2 * 86_400_000,
  };
}

/** What `@IsInstantWithin(window)` checks, as a plain predicate (a pipe that validates a large body in one loop). */
export function isInstantWithin(value: unknown, window: DateWindow): boolean {
  const t = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) return false;
  const { from, to } = instantBounds(window);
  return (from === undefined || t >= from) && (to === undefined || t <= to);
}

/**
 * An instant (a `Date`, or an ISO-8601 string) inside a window around now, in years:
 * `@IsInstantWithin(DATE_WINDOWS.instant)` for a location fix.
 */
export function IsInstantWithin(window: DateWindow, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isInstantWithin',
      constraints: [window],
      validator: {
        validate: (value: unknown): boolean => isInstantWithin(value, window),
        defaultMessage: (args?: ValidationArguments): string => {
          const property = args?.property ?? 'time';
          return `${property} must be a time within the allowed window (${window.pastYears ?? '∞'} years back, ${window.futureYears ?? '∞'} ahead) / ${property} 超出允许的时间范围`;
        },
      },
    },
    options,
  );
}

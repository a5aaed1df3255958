import type { EntityManager } from 'typeorm';
import type { WorkingDayCalendar } from '@homeward/domain';

/** What changed: the holiday table of `year`, stored as reference.holiday_tables row `revision`. */
export interface CalendarChange {
  calendar: WorkingDayCalendar;
  year: number;
  revision: number;
}

/**
 * Issue 7 item 10: a feature that stores deadlines computed from the working-day calendar
 * recomputes them when a holiday table changes, in the transaction of the change, and publishes
 * `correction.deadlines.recomputed` for each record whose dates moved (alerts re-arms its watches).
 * Answers how many records moved.
 */
export interface DeadlineRecomputer {
  /** The deadline rules this recomputer owns, e.g. `CC-4 report-in` (for the audit row and the answer). */
  readonly label: string;
  recompute(manager: EntityManager, change: CalendarChange): Promise<number>;
}

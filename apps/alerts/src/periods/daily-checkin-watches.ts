import { EntityManager } from 'typeorm';
import { LocalDate } from '@homeward/domain';
import { returnedRows } from '@homeward/platform';

// Kept apart from DailyCheckInsService so PeriodsService can use them without importing the service
// (DailyCheckInsService → WatchesService → … → AlertsService → PeriodsService would be a cycle).

export const DAILY_CHECKIN_RULE = 'AL-4.DAILY_CHECKIN_MISSING';
/** The record a daily check-in watch waits on: one subject on one day (`<subjectId>:<YYYY-MM-DD>`). */
export const SUBJECT_DAY = 'correction.subject-day';

/**
 * AL-4: a sensitive period was removed — the days it alone required (its days, its towns, no other
 * period covering the town that day) are required no more: their pending watches are settled, so
 * no one is alerted for a check-in nobody asks of them any longer. Returns how many it settled.
 */
export async function settleUncoveredCheckIns(
  manager: EntityManager,
  now: Date,
  removed: { startsOn: LocalDate; endsOn: LocalDate; towns: readonly string[] | null },
): Promise<number> {
  const rows = returnedRows(
    await manager.query(
      `UPDATE alerts.watches w SET satisfied_at = $2, details = w.details || '{"settledBy": "sensitive-period-removed"}'::jsonb
        WHERE w.rule = $1 AND w.record_type = $3 AND w.satisfied_at IS NULL AND w.fired_at IS NULL
          AND (w.details->>'day')::date BETWEEN $4::date AND $5::date
          AND ($6::varchar[] IS NULL OR w.town = ANY($6::varchar[]))
          AND NOT EXISTS (SELECT 1 FROM alerts.sensitive_periods p
                           WHERE (w.details->>'day')::date BETWEEN p.starts_on AND p.ends_on AND (p.towns IS NULL OR w.town = ANY(p.towns)))
        RETURNING w.id`,
      [DAILY_CHECKIN_RULE, now, SUBJECT_DAY, removed.startsOn, removed.endsOn, removed.towns],
    ),
  );
  return rows.length;
}

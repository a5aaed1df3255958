import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { LocalDate, addDays, localDateInShanghai, startOfLocalDateInShanghai } from '@homeward/domain';
import { BusJobs } from '@homeward/bus';
import { Clock } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { WatchesService } from '../deadlines/watches.service';

import { DAILY_CHECKIN_RULE, SUBJECT_DAY } from './daily-checkin-watches';

export { DAILY_CHECKIN_RULE, SUBJECT_DAY } from './daily-checkin-watches';
const QUEUE = 'alerts.daily-checkins';
const SCHEDULER_ID = 'daily-checkin-watches';

export interface CheckInSubject {
  subjectId: string;
  personKey: string;
  town: string;
}

export function subjectDayId(subjectId: string, day: LocalDate): string {
  return `${subjectId}:${day}`;
}

/**
 * AL-4 the daily check-in of key persons during a sensitive period (a due-date rule). Alerts keeps the
 * correction subjects under a check-in obligation (`alerts.checkin_subjects`, from correction's level and
 * check-in events); a person is a key person as `alerts.person_flags.key_person` last said. For each day
 * a period covers a town, every active key-person subject of that town gets a watch for the day, due at
 * 00:00 (Shanghai) the day after; a check-in recorded on that day settles it (written settled when the
 * check-in arrives first). Before and after a period no watch is armed. The watches of today are armed at
 * start-up and then every ALERT_SWEEP_INTERVAL_SECONDS; a missed day raises `AL-4.DAILY_CHECKIN_MISSING`
 * (YELLOW by rule, one colour higher by the period it falls in: ORANGE).
 */
@Injectable()
export class DailyCheckInsService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly watches: WatchesService,
    private readonly clock: Clock,
    @Inject(AlertsConfig) config: AlertsConfig,
    jobs: BusJobs,
  ) {
    jobs.process(QUEUE, () => this.ensureToday());
    jobs.every({
      queue: QUEUE,
      schedulerId: SCHEDULER_ID,
      jobName: 'ensure',
      everyMs: config.ALERT_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureToday();
  }

  /** CC-8 / CC-9: a subject is under a check-in obligation in `town` (from a level change or a check-in). */
  async noteSubject(manager: EntityManager, s: CheckInSubject): Promise<void> {
    await manager.query(
      `INSERT INTO alerts.checkin_subjects (subject_id, person_key, town, active, updated_at) VALUES ($1, $2, $3, true, $4)
       ON CONFLICT (subject_id) DO UPDATE SET person_key = EXCLUDED.person_key, town = EXCLUDED.town, active = true, updated_at = EXCLUDED.updated_at`,
      [s.subjectId, s.personKey, s.town, this.clock.now()],
    );
  }

  /** The case ended (discharged, terminated, handed out of Jiangyin): no more daily check-ins; today's pending watch is settled. */
  async endSubject(manager: EntityManager, subjectId: string): Promise<void> {
    await manager.query(`UPDATE alerts.checkin_subjects SET active = false, updated_at = $2 WHERE subject_id = $1`, [subjectId, this.clock.now()]);
    await manager.query(
      `UPDATE alerts.watches SET satisfied_at = $3 WHERE rule = $1 AND record_type = $2 AND record_id LIKE $4 AND satisfied_at IS NULL AND fired_at IS NULL`,
      [DAILY_CHECKIN_RULE, SUBJECT_DAY, this.clock.now(), `${subjectId}:%`],
    );
  }

  /** CC-13: the case moved to another town in Jiangyin (its pending watches move with WatchesService.moveTown). */
  async moveSubject(manager: EntityManager, subjectId: string, toTown: string): Promise<void> {
    await manager.query(`UPDATE alerts.checkin_subjects SET town = $2, updated_at = $3 WHERE subject_id = $1`, [subjectId, toTown, this.clock.now()]);
  }

  /**
   * A check-in on `checkedInOn`: when that day a period covered the town and the person is a key person,
   * the day's watch is settled (written settled if not armed yet). Other check-ins leave no row here.
   */
  async onCheckIn(manager: EntityManager, s: CheckInSubject, checkedInOn: LocalDate): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM alerts.person_flags f
        WHERE f.person_key = $1 AND f.key_person
          AND EXISTS (SELECT 1 FROM alerts.sensitive_periods p WHERE p.starts_on <= $2 AND p.ends_on >= $2 AND (p.towns IS NULL OR $3 = ANY(p.towns)))`,
      [s.personKey, checkedInOn, s.town],
    );
    if (rows.length === 0) return false;
    await this.watches.settle(manager, { recordType: SUBJECT_DAY, recordId: subjectDayId(s.subjectId, checkedInOn), personKey: s.personKey, town: s.town }, [DAILY_CHECKIN_RULE]);
    return true;
  }

  /** Arms today's watch of every active key-person subject in a town a period covers today (idempotent). Returns how many. */
  async ensureToday(): Promise<number> {
    const now = this.clock.now();
    const day = localDateInShanghai(now);
    return this.dataSource.transaction(async (manager) => {
      const rows: Array<{ subject_id: string; person_key: string; town: string; period_id: string; period_name: string }> = await manager.query(
        `SELECT DISTINCT ON (s.subject_id) s.subject_id, s.person_key, s.town, p.id AS period_id, p.name AS period_name
           FROM alerts.checkin_subjects s
           JOIN alerts.person_flags f ON f.person_key = s.person_key AND f.key_person
           JOIN alerts.sensitive_periods p ON p.starts_on <= $1 AND p.ends_on >= $1 AND (p.towns IS NULL OR s.town = ANY(p.towns))
          WHERE s.active
          ORDER BY s.subject_id, p.starts_on, p.id`,
        [day],
      );
      const dueAt = startOfLocalDateInShanghai(addDays(day, 1));
      // one statement for every key person's watch of the day (issue 13), not one each
      await this.watches.armMany(
        manager,
        rows.map((r) => ({
          rule: DAILY_CHECKIN_RULE,
          recordType: SUBJECT_DAY,
          recordId: subjectDayId(r.subject_id, day),
          personKey: r.person_key,
          town: r.town,
          dueAt,
          details: { subjectId: r.subject_id, day, periodDay: day, sensitivePeriodId: r.period_id },
          asOf: now,
        })),
      );
      return rows.length;
    });
  }
}

import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope, addDays, addMonths, localDateInShanghai, monthOf, startOfLocalDateInShanghai, townCodes, type LocalDate } from '@homeward/domain';
import { BusJobs, OnEvent } from '@homeward/bus';
import { Clock } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { AlertsService } from '../alerts/alerts.service';
import { WatchesService } from '../deadlines/watches.service';
import { DailyCheckInsService } from '../periods/daily-checkins.service';
import { PeriodsService } from '../periods/periods.service';

const SUBJECT = 'correction.subject';
const TOWN_MONTH = 'correction.key-person-month';
const QUEUE = 'alerts.key-person-months';
const SCHEDULER_ID = 'key-person-month-watches';

/**
 * AL-3 rules of CC-9, CC-10, CC-11:
 * - check-in overdue: YELLOW the day after the next check-in was due, ORANGE once twice the interval has
 *   passed since the last check-in; both watches are re-armed by every check-in and level change;
 * - monthly key-person determination missing: a watch per (town, month) due at the start of the next
 *   month, satisfied by `correction.key-persons.determined` (whose subjects also set AL-4's key-person flag); the watches of this and next month are made
 *   for every town at start-up and then periodically (ALERT_SWEEP_INTERVAL_SECONDS);
 * - sanction threshold reached: ORANGE on the event.
 */
@Injectable()
export class SupervisionAlertsHandler implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly watches: WatchesService,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
    private readonly dailyCheckIns: DailyCheckInsService,
    private readonly periods: PeriodsService,
    @Inject(AlertsConfig) config: AlertsConfig,
    jobs: BusJobs,
  ) {
    // Kept through Redis loss (issue 14 item 3) and drained on stop (item 7) by the bus's job facility.
    jobs.process(QUEUE, () => this.ensureKeyPersonWatches());
    jobs.every({
      queue: QUEUE,
      schedulerId: SCHEDULER_ID,
      jobName: 'ensure',
      everyMs: config.ALERT_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureKeyPersonWatches();
  }

  @OnEvent('correction.supervision.level-changed')
  async onLevelChanged(event: EventEnvelope<'correction.supervision.level-changed'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.armCheckIn(manager, event.occurredAt, p.subjectId, p.personKey, p.town, p.nextCheckInDue, p.checkInIntervalDays);
    await this.dailyCheckIns.noteSubject(manager, p);
  }

  /** CC-9, and AL-4: a check-in on a day of a sensitive period settles a key person's daily check-in. */
  @OnEvent('correction.checkin.recorded')
  async onCheckIn(event: EventEnvelope<'correction.checkin.recorded'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.armCheckIn(manager, event.occurredAt, p.subjectId, p.personKey, p.town, p.nextCheckInDue, p.checkInIntervalDays);
    await this.dailyCheckIns.noteSubject(manager, p);
    await this.dailyCheckIns.onCheckIn(manager, p, p.checkedInOn);
  }

  /** CC-10: the town's determination for the month arrived: its watch is satisfied (made first if missing). */
  @OnEvent('correction.key-persons.determined')
  async onKeyPersonsDetermined(event: EventEnvelope<'correction.key-persons.determined'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: TOWN_MONTH, recordId: townMonthId(p.town, p.month), personKey: null, town: p.town }, ['CC-10.KEY_PERSONS_MISSING']);
    // AL-4: who is a key person now — from the determination of this month or a later one (a late
    // determination of a past month does not undo a newer word). The determination is the town's whole
    // list for the month: a subject it no longer lists is no longer a key person (for correction).
    if (p.subjects && p.month >= monthOf(localDateInShanghai(this.clock.now()))) {
      await this.periods.settleDetermination(manager, p.town, p.subjects);
    }
  }

  @OnEvent('correction.sanction.threshold-reached')
  async onSanctionThreshold(event: EventEnvelope<'correction.sanction.threshold-reached'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'CC-11.SANCTION_THRESHOLD',
      personKey: p.personKey,
      town: p.town,
      recordType: SUBJECT,
      recordId: p.subjectId,
      details: { suggested: p.suggested, lateOrLostContactDays: p.lateOrLostContactDays },
    });
  }

  /** CC-10: the watches of this month and the next for every town (idempotent). Returns how many exist now. */
  async ensureKeyPersonWatches(): Promise<number> {
    const thisMonth = monthOf(localDateInShanghai(this.clock.now()));
    const months = [thisMonth, monthOf(addMonths(`${thisMonth}-01`, 1))];
    const asOf = this.clock.now();
    let n = 0;
    await this.dataSource.transaction(async (manager) => {
      for (const month of months) {
        for (const town of townCodes()) {
          await this.watches.arm(manager, { ...keyPersonWatch(town, month), asOf });
          n += 1;
        }
      }
    });
    return n;
  }

  /** (Re-)arms both check-in watches of a subject; an older event never moves a newer arming. */
  private async armCheckIn(
    manager: EntityManager,
    occurredAt: string,
    subjectId: string,
    personKey: string,
    town: string,
    nextDue: LocalDate,
    intervalDays: number,
  ): Promise<void> {
    const arms: Array<{ rule: string; dueAt: Date }> = [
      { rule: 'CC-9.CHECKIN_OVERDUE', dueAt: startOfLocalDateInShanghai(addDays(nextDue, 1)) },
      { rule: 'CC-9.CHECKIN_OVERDUE_LONG', dueAt: startOfLocalDateInShanghai(addDays(nextDue, intervalDays + 1)) },
    ];
    for (const arm of arms) {
      await this.watches.arm(manager, {
        rule: arm.rule,
        recordType: SUBJECT,
        recordId: subjectId,
        personKey,
        town,
        dueAt: arm.dueAt,
        details: { nextCheckInDue: nextDue, checkInIntervalDays: intervalDays, occurredAt },
        asOf: occurredAt,
      });
    }
  }
}

function townMonthId(town: string, month: string): string {
  return `${town}:${month}`;
}

function keyPersonWatch(town: string, month: string) {
  return {
    rule: 'CC-10.KEY_PERSONS_MISSING',
    recordType: TOWN_MONTH,
    recordId: townMonthId(town, month),
    personKey: null,
    town,
    dueAt: startOfLocalDateInShanghai(addMonths(`${month}-01`, 1)),
    details: { month },
  };
}

import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope, addDays, addMonths, localDateInShanghai, monthOf, startOfLocalDateInShanghai, townCodes, type LocalDate } from '@homeward/domain';
import { KeptJobScheduler, OnEvent, drainWorker, registerSchedulerReadiness } from '@homeward/bus';
import { Clock, ReadinessChecks } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { AlertsService } from '../alerts/alerts.service';
import { DeadlineScheduler } from '../deadlines/deadline-scheduler';
import { DeadlinesService } from '../deadlines/deadlines.service';

const SUBJECT = 'correction.subject';
const TOWN_MONTH = 'correction.key-person-month';
const QUEUE = 'alerts.key-person-months';
const SCHEDULER_ID = 'key-person-month-watches';

/**
 * AL-3 rules of CC-9, CC-10, CC-11:
 * - check-in overdue: YELLOW the day after the next check-in was due, ORANGE once twice the interval has
 *   passed since the last check-in; both watches are re-armed by every check-in and level change;
 * - monthly key-person determination missing: a watch per (town, month) due at the start of the next
 *   month, satisfied by `correction.key-persons.determined`; the watches of this and next month are made
 *   for every town at start-up and then periodically (ALERT_SWEEP_INTERVAL_SECONDS);
 * - sanction threshold reached: ORANGE on the event.
 */
@Injectable()
export class SupervisionAlertsHandler implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly logger = new Logger(SupervisionAlertsHandler.name);
  private connection?: IORedis;
  private workerConnection?: IORedis;
  private queue?: Queue;
  private worker?: Worker;
  private keyPersonScheduler?: KeptJobScheduler;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly deadlines: DeadlinesService,
    private readonly scheduler: DeadlineScheduler,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
    @Inject(AlertsConfig) private readonly config: AlertsConfig,
    private readonly readiness: ReadinessChecks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureKeyPersonWatches();
    this.connection = new IORedis(this.config.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE, { connection: this.connection, prefix: this.config.REDIS_PREFIX });
    // Re-registered when Redis comes back or loses it (issue 14 item 3); readiness reports it missing.
    this.keyPersonScheduler = new KeptJobScheduler({
      queue: this.queue,
      connection: this.connection,
      schedulerId: SCHEDULER_ID,
      everyMs: this.config.ALERT_SWEEP_INTERVAL_SECONDS * 1000,
      jobName: 'ensure',
      verifyEveryMs: this.config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
    await this.keyPersonScheduler.start();
    registerSchedulerReadiness(this.readiness, this.keyPersonScheduler);
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.worker = new Worker(QUEUE, () => this.ensureKeyPersonWatches(), { connection: this.workerConnection, prefix: this.config.REDIS_PREFIX });
    this.worker.on('failed', (job, err) => this.logger.error(`key-person watch job ${job?.id} failed: ${err.message}`));
  }

  /** Graceful stop, first step (issue 14 item 7): no new job; the running ones finish before connections close. */
  async onModuleDestroy(): Promise<void> {
    await drainWorker(this.worker, 'key-person watch jobs');
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.keyPersonScheduler?.stop();
    await this.worker?.close();
    await this.queue?.close();
    this.workerConnection?.disconnect();
    this.connection?.disconnect();
  }

  @OnEvent('correction.supervision.level-changed')
  async onLevelChanged(event: EventEnvelope<'correction.supervision.level-changed'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.armCheckIn(manager, event.occurredAt, p.subjectId, p.personKey, p.town, p.nextCheckInDue, p.checkInIntervalDays);
  }

  @OnEvent('correction.checkin.recorded')
  async onCheckIn(event: EventEnvelope<'correction.checkin.recorded'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.armCheckIn(manager, event.occurredAt, p.subjectId, p.personKey, p.town, p.nextCheckInDue, p.checkInIntervalDays);
  }

  /** CC-10: the town's determination for the month arrived: its watch is satisfied (made first if missing). */
  @OnEvent('correction.key-persons.determined')
  async onKeyPersonsDetermined(event: EventEnvelope<'correction.key-persons.determined'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.deadlines.watch(manager, keyPersonWatch(p.town, p.month));
    await this.deadlines.satisfy(manager, TOWN_MONTH, townMonthId(p.town, p.month), ['CC-10.KEY_PERSONS_MISSING']);
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
    let n = 0;
    await this.dataSource.transaction(async (manager) => {
      for (const month of months) {
        for (const town of townCodes()) {
          await this.deadlines.watch(manager, keyPersonWatch(town, month));
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
      const details = { nextCheckInDue: nextDue, checkInIntervalDays: intervalDays, occurredAt };
      const rows: Array<{ id: string; due_at: Date }> = await manager.query(
        `INSERT INTO alerts.watches (rule, record_type, record_id, person_key, town, due_at, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (rule, record_type, record_id) DO UPDATE
           SET due_at = EXCLUDED.due_at, satisfied_at = NULL, fired_at = NULL, details = EXCLUDED.details,
               person_key = EXCLUDED.person_key, town = EXCLUDED.town
           WHERE coalesce(alerts.watches.details->>'occurredAt', '') <= EXCLUDED.details->>'occurredAt'
         RETURNING id, due_at`,
        [arm.rule, SUBJECT, subjectId, personKey, town, arm.dueAt, details],
      );
      // Scheduled after the handler's transaction would be cleaner; the sweep catches a job that ran too early.
      if (rows[0]) await this.scheduler.schedule(rows[0].id, new Date(rows[0].due_at));
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

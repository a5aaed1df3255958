import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  CheckInChannel,
  DomainError,
  DomainErrorCode,
  MonthlyCompliance,
  compareLocalDate,
  daysBetween,
  localDateInShanghai,
  monthOf,
  monthRange,
  monthlyCompliance,
  nextCheckInDue,
  validateCheckIn,
  type LocalDate,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, keysetPage } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { SanctionsService } from '../sanctions/sanctions.service';
import { SubjectAccess, actorName } from '../subjects/subject-access';
import { SupervisionPolicyProvider } from '../supervision/supervision-policy';
import { LevelsOf, SupervisionService, supervisionStart } from '../supervision/supervision.service';
import { ActivityHours, ActivityKind } from './activity-hours.entity';
import { CheckIn } from './check-in.entity';

export interface RecordCheckInInput {
  subjectId: string;
  channel: CheckInChannel;
  at: Date;
  faceMatch?: boolean | null;
  lat?: number | null;
  lng?: number | null;
  note?: string | null;
}

export interface LogHoursInput {
  subjectId: string;
  hours: number;
  onDate: LocalDate;
  note?: string | null;
}

/** What CC-9 compliance needs from a subject's row (a CorrectionSubject or its GraphQL type). */
export type CompliantSubject = Pick<CorrectionSubject, 'id' | 'activatedOn' | 'reportedOn' | 'correctionStartDate'>;

@Injectable()
export class CheckInsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly access: SubjectAccess,
    private readonly supervision: SupervisionService,
    private readonly policy: SupervisionPolicyProvider,
    private readonly sanctions: SanctionsService,
  ) {}

  /**
   * CC-9: records a check-in; publishes `correction.checkin.recorded` with the next due date (alerts
   * re-arms its check-in watches); a late check-in is a late report for the sanctions ladder (CC-11).
   */
  async recordCheckIn(caller: Principal, input: RecordCheckInInput): Promise<CheckIn> {
    validateCheckIn(input);
    if (input.at.getTime() > this.clock.now().getTime()) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'a check-in cannot be in the future / 报告时间不能晚于当前时间', { field: 'at' });
    }
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.access.activeForChange(manager, caller, input.subjectId, 'correction.checkin.record');
      return this.recordFor(manager, caller, subject, input);
    });
  }

  /**
   * The check-in of `subject` (ACTIVE, locked by the caller in `manager`'s transaction): the staff
   * mutation and the subject's own APP check-in (CC-21) both come here.
   */
  async recordFor(manager: EntityManager, caller: Principal, subject: CorrectionSubject, input: RecordCheckInInput & { faceMatchScore?: number | null }): Promise<CheckIn> {
    const onDate = localDateInShanghai(input.at);
    const start = supervisionStart(subject);
    if (compareLocalDate(onDate, start) < 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'the check-in is before supervision started / 报告日期早于入矫日期', { field: 'at' });
    }
    const current = await this.supervision.currentOfOne(subject.id, manager);
    const interval = this.policy.obligations(current.level).checkInIntervalDays;
    const dueOn = await this.supervision.nextDue(manager, subject, current.level);
    const checkIn = manager.getRepository(CheckIn).create({
      subjectId: subject.id,
      channel: input.channel,
      at: input.at,
      onDate,
      faceMatch: input.faceMatch ?? null,
      faceMatchScore: input.faceMatchScore ?? null,
      lat: input.lat ?? null,
      lng: input.lng ?? null,
      note: input.note ?? '',
      dueOn,
      daysLate: Math.max(0, daysBetween(dueOn, onDate)),
      recordedBy: actorName(caller),
    });
    await manager.save(checkIn);
    const [{ last }] = await manager.query(`SELECT max(on_date)::text AS last FROM correction.check_ins WHERE subject_id = $1`, [subject.id]);
    const next = nextCheckInDue(last, start, interval);
    await this.events.publish(manager, 'correction.checkin.recorded', {
      subjectId: subject.id,
      personKey: subject.personKey,
      town: subject.town,
      checkInId: checkIn.id,
      channel: checkIn.channel,
      checkedInOn: onDate,
      checkInIntervalDays: interval,
      nextCheckInDue: next,
    });
    await this.audit.record(
      {
        actor: caller,
        action: 'correction.checkin.record',
        entityType: 'CheckIn',
        entityId: checkIn.id,
        personKey: subject.personKey,
        towns: [subject.town],
        details: { subjectId: subject.id, channel: checkIn.channel, onDate, daysLate: checkIn.daysLate },
      },
      manager,
    );
    if (checkIn.daysLate > 0) await this.sanctions.evaluate(manager, subject);
    return checkIn;
  }

  /** CC-8: the check-in interval of a supervision level (days). */
  intervalOf(level: Parameters<SupervisionPolicyProvider['obligations']>[0]): number {
    return this.policy.obligations(level).checkInIntervalDays;
  }

  /** CC-9: education (教育学习) or community service (公益活动) hours on a day. */
  async logHours(caller: Principal, kind: ActivityKind, input: LogHoursInput): Promise<ActivityHours> {
    if (compareLocalDate(input.onDate, this.clock.today()) > 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'the date is in the future / 日期不能晚于今天', { field: 'onDate' });
    }
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.access.activeForChange(manager, caller, input.subjectId, `correction.hours.${kind.toLowerCase()}`);
      const row = manager.getRepository(ActivityHours).create({
        subjectId: subject.id,
        kind,
        hours: input.hours,
        onDate: input.onDate,
        note: input.note ?? '',
        recordedBy: actorName(caller),
      });
      await manager.save(row);
      await this.audit.record(
        {
          actor: caller,
          action: `correction.hours.${kind.toLowerCase()}`,
          entityType: 'ActivityHours',
          entityId: row.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { subjectId: subject.id, hours: input.hours, onDate: input.onDate },
        },
        manager,
      );
      return row;
    });
  }

  /**
   * CC-9: compliance for the current month (by the injected clock) of many subjects, from the rows the
   * caller holds: three queries (levels, check-ins, hours), or two when `levelsOf` is a request's
   * shared batch. Subjects not yet supervised (no activation) get null.
   */
  async complianceOf(
    subjects: readonly CompliantSubject[],
    month: string = monthOf(this.clock.today()),
    levelsOf: LevelsOf = (ids) => this.supervision.currentOf(ids),
  ): Promise<Map<string, MonthlyCompliance>> {
    const out = new Map<string, MonthlyCompliance>();
    const supervised = subjects.filter((s) => s.activatedOn);
    if (supervised.length === 0) return out;
    const ids = supervised.map((s) => s.id);
    const { start, end } = monthRange(month);
    const [levels, checkIns, hours] = await Promise.all([
      levelsOf(ids),
      this.dataSource.query(`SELECT subject_id, on_date::text AS d FROM correction.check_ins WHERE subject_id = ANY($1) AND on_date <= $2`, [ids, end]),
      this.dataSource.query(
        `SELECT subject_id, kind, sum(hours)::float8 AS h FROM correction.activity_hours
         WHERE subject_id = ANY($1) AND on_date BETWEEN $2 AND $3 GROUP BY subject_id, kind`,
        [ids, start, end],
      ),
    ]);
    const datesBy = new Map<string, string[]>();
    for (const r of checkIns as Array<{ subject_id: string; d: string }>) datesBy.set(r.subject_id, [...(datesBy.get(r.subject_id) ?? []), r.d]);
    const hoursBy = new Map<string, number>();
    for (const r of hours as Array<{ subject_id: string; kind: string; h: number }>) hoursBy.set(`${r.subject_id}:${r.kind}`, r.h);
    for (const s of supervised) {
      const level = levels.get(s.id)!.level;
      out.set(
        s.id,
        monthlyCompliance({
          month,
          today: this.clock.today(),
          supervisionStart: supervisionStart(s),
          obligations: this.policy.obligations(level),
          checkIns: datesBy.get(s.id) ?? [],
          educationHoursDone: hoursBy.get(`${s.id}:${ActivityKind.EDUCATION}`) ?? 0,
          communityServiceHoursDone: hoursBy.get(`${s.id}:${ActivityKind.COMMUNITY_SERVICE}`) ?? 0,
        }),
      );
    }
    return out;
  }

  /** Check-ins of a subject, newest first, keyset-paginated (the caller has seen the subject). */
  async list(subjectId: string, first: number, after?: string): Promise<{ items: CheckIn[]; totalCount: number; hasNextPage: boolean }> {
    const qb = this.dataSource.getRepository(CheckIn).createQueryBuilder('c').where('c.subjectId = :subjectId', { subjectId });
    const { items, totalCount, hasNextPage } = await keysetPage(qb, 'c', { first, after });
    return { items, totalCount, hasNextPage };
  }
}

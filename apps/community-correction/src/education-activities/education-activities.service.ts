import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode, addDays, addMonths, compareLocalDate, parseLocalDate } from '@homeward/domain';
import {
  AuditWriter,
  Clock,
  EMPTY_PAGE,
  Page,
  Principal,
  RecordAccess,
  canSeeTown,
  isKnownTownCode,
  keysetPage,
  personScope,
  townFilter,
  whereInScope,
} from '@homeward/platform';
import { ActivityHours, ActivityKind } from '../check-ins/activity-hours.entity';
import { KeyPersonsService } from '../key-persons/key-persons.service';
import { CorrectionSubject } from '../subjects/subject.entity';
import { SubjectAccess, actorName } from '../subjects/subject-access';
import { supervisionStart } from '../supervision/supervision.service';
import { EDUCATION_SESSION_KIND_LABELS, EducationAttendance, EducationSession, EducationSessionKind } from './education-activity.entity';

export interface SessionDetail {
  session: EducationSession;
  attendances: EducationAttendance[];
}

/** CC-26: a subject of the first month with no intensive training yet. */
export interface IntensiveTrainingDue {
  subject: CorrectionSubject;
  supervisionStart: string;
  /** The last day of the first month of supervision. */
  firstMonthEndsOn: string;
}

/** CC-26: the first month of supervision: from its start (activation) to the day before the same day a month later. */
export function inFirstMonth(start: string, day: string): boolean {
  return compareLocalDate(day, start) >= 0 && compareLocalDate(day, addMonths(start, 1)) < 0;
}

/**
 * CC-26 intensive training (短期集训) and education activities (文化活动, 读书活动 with a written
 * reflection, 案例汇编): sessions of a town, and the subjects who attended. An attendance logs the
 * session's hours as CC-9 education hours (`activity_hours`, kind EDUCATION) in the same
 * transaction, so the monthly compliance counts it.
 */
@Injectable()
export class EducationActivitiesService {
  private readonly sessions: RecordAccess<EducationSession>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly subjects: SubjectAccess,
    private readonly keyPersons: KeyPersonsService,
  ) {
    this.sessions = new RecordAccess(audit, {
      entity: EducationSession,
      scope: 'town',
      notFound: (id) => new DomainError(DomainErrorCode.NOT_FOUND, `education session ${id} not found / 未找到该教育活动`, { field: 'sessionId' }),
    });
  }

  /** CC-26: a session recorded (it may be planned ahead; attendance is recorded once it was held). */
  async recordSession(caller: Principal, input: { town: string; kind: EducationSessionKind; title: string; heldOn: string; place: string; hours: number }): Promise<EducationSession> {
    const heldOn = parseLocalDate(input.heldOn, 'heldOn');
    if (!(input.hours > 0 && input.hours <= 80) || Math.round(input.hours * 100) !== input.hours * 100) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'hours must be above 0 and at most 80, in hundredths / 学时应大于0且不超过80', { field: 'hours' });
    }
    const action = 'correction.education-session.record';
    if (!isKnownTownCode(input.town)) throw new DomainError(DomainErrorCode.TOWN_UNKNOWN, `unknown town ${input.town} / 未知的镇（街道）代码`, { field: 'town' });
    if (!canSeeTown(caller, input.town)) {
      await this.audit.record({ actor: caller, action, entityType: 'EducationSession', towns: [input.town], outcome: 'DENIED' });
      throw new DomainError(DomainErrorCode.NOT_FOUND, `town ${input.town} not found / 未找到该镇（街道）`, { field: 'town' });
    }
    return this.dataSource.transaction(async (manager) => {
      const session = manager.getRepository(EducationSession).create({
        town: input.town,
        kind: input.kind,
        title: input.title,
        heldOn,
        place: input.place,
        hours: input.hours,
        recordedBy: actorName(caller),
      });
      await manager.save(session);
      await this.audit.record(
        { actor: caller, action, entityType: 'EducationSession', entityId: session.id, towns: [session.town], details: { kind: session.kind, heldOn, hours: session.hours } },
        manager,
      );
      return session;
    });
  }

  /**
   * CC-26: a subject attended a held session: an ACTIVE subject of the session's town, once per
   * session; INTENSIVE_TRAINING only for a subject in the first month of supervision (on the
   * session's day) or a current key person (CC-10); READING needs the attendee's reflection. Logs
   * the session's hours on its day as education hours (CC-9), in the same transaction.
   */
  async recordAttendance(caller: Principal, input: { sessionId: string; subjectId: string; reflection?: string | null }): Promise<EducationAttendance> {
    const action = 'correction.education-session.attend';
    return this.dataSource.transaction(async (manager) => {
      const session = await this.sessions.forChange(manager, caller, input.sessionId, action);
      const subject = await this.subjects.activeForChange(manager, caller, input.subjectId, action);
      if (compareLocalDate(session.heldOn, this.clock.today()) > 0) {
        throw new DomainError(DomainErrorCode.DATE_INVALID, `the session is on ${session.heldOn} and has not been held yet / 该活动尚未举行`, { field: 'sessionId' });
      }
      if (subject.town !== session.town) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, "the subject is not in the session's town / 该对象不属于举办活动的镇（街道）", { field: 'subjectId' });
      }
      const start = supervisionStart(subject);
      if (compareLocalDate(session.heldOn, start) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `the session was held before the subject's supervision began (${start}) / 活动日期早于该对象入矫日期`, { field: 'sessionId' });
      }
      if (session.kind === EducationSessionKind.INTENSIVE_TRAINING && !inFirstMonth(start, session.heldOn) && !(await this.keyPersons.isCurrentKeyPerson(manager, subject.id, subject.town))) {
        throw new DomainError(
          DomainErrorCode.VALIDATION_FAILED,
          'intensive training is for subjects in their first month of supervision or key persons / 短期集训仅限入矫首月的社区矫正对象或重点人员参加',
          { field: 'subjectId', details: { supervisionStart: start, firstMonthEndsOn: addDays(addMonths(start, 1), -1) } },
        );
      }
      const reflection = input.reflection?.trim() || null;
      if (session.kind === EducationSessionKind.READING && !reflection) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, "a reading activity needs the attendee's written reflection / 读书活动须提交读后感", { field: 'reflection' });
      }
      const already = await manager.getRepository(EducationAttendance).findOneBy({ sessionId: session.id, subjectId: subject.id });
      if (already) {
        throw new DomainError(DomainErrorCode.CONFLICT, 'the subject is already recorded as attending this session / 该对象已登记参加本次活动', { field: 'subjectId' });
      }
      // CC-9: the hours count as education. Only these columns are set; any other keeps its default.
      const hours = manager.getRepository(ActivityHours).create({
        subjectId: subject.id,
        kind: ActivityKind.EDUCATION,
        hours: session.hours,
        onDate: session.heldOn,
        note: `CC-26 ${EDUCATION_SESSION_KIND_LABELS[session.kind]}「${session.title}」`.slice(0, 1000),
        recordedBy: actorName(caller),
      });
      await manager.save(hours);
      const attendance = manager.getRepository(EducationAttendance).create({
        sessionId: session.id,
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        reflection,
        activityHoursId: hours.id,
        recordedBy: actorName(caller),
      });
      await manager.save(attendance);
      await this.audit.record(
        {
          actor: caller,
          action,
          entityType: 'EducationAttendance',
          entityId: attendance.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { sessionId: session.id, kind: session.kind, subjectId: subject.id, activityHoursId: hours.id, hours: session.hours, onDate: session.heldOn },
        },
        manager,
      );
      return attendance;
    });
  }

  /** CC-26: sessions of the caller's towns (or one), newest first. */
  async list(caller: Principal, filter: { town?: string; kind?: EducationSessionKind; first: number; after?: string }): Promise<Page<EducationSession>> {
    const towns = townFilter(caller, filter.town);
    if (towns.length === 0) return EMPTY_PAGE;
    const qb = this.dataSource.getRepository(EducationSession).createQueryBuilder('e').where('e.town IN (:...towns)', { towns });
    if (filter.kind) qb.andWhere('e.kind = :kind', { kind: filter.kind });
    const page = await keysetPage(qb, 'e', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'correction.education-session.list', entityType: 'EducationSession', towns, details: { ids: page.items.map((s) => s.id) } });
    return page;
  }

  /** CC-26: a session with its attendances; NOT_FOUND outside the caller's towns. */
  async detail(caller: Principal, id: string): Promise<SessionDetail> {
    const manager = this.dataSource.manager;
    const session = await this.sessions.forRead(manager, caller, id, 'correction.education-session.read');
    const attendances = await manager.getRepository(EducationAttendance).find({ where: { sessionId: id }, order: { createdAt: 'ASC' } });
    await this.audit.record({
      actor: caller,
      action: 'correction.education-session.read',
      entityType: 'EducationSession',
      entityId: session.id,
      towns: [session.town],
      personKeys: attendances.map((a) => a.personKey),
    });
    return { session, attendances };
  }

  /**
   * CC-26: the ACTIVE subjects of the caller's towns (a social worker: its caseload) who are in their
   * first month of supervision today and have attended no intensive training yet, newest first.
   */
  async intensiveTrainingDue(caller: Principal, filter: { town?: string; first: number; after?: string }): Promise<Page<IntensiveTrainingDue>> {
    const scope = personScope(caller, filter.town);
    const qb = this.dataSource.getRepository(CorrectionSubject).createQueryBuilder('s');
    if (!whereInScope(qb, 's', scope)) return EMPTY_PAGE;
    const start = 'COALESCE(s.activatedOn, s.reportedOn, s.correctionStartDate)';
    qb.andWhere('s.status = :active', { active: CorrectionStatus.ACTIVE })
      .andWhere(`${start} <= CAST(:today AS date)`, { today: this.clock.today() })
      .andWhere(`CAST(${start} + interval '1 month' AS date) > CAST(:today AS date)`)
      .andWhere(
        `NOT EXISTS (SELECT 1 FROM correction.education_attendances a JOIN correction.education_sessions es ON es.id = a.session_id
                      WHERE a.subject_id = s.id AND es.kind = :intensive)`,
        { intensive: EducationSessionKind.INTENSIVE_TRAINING },
      );
    const page = await keysetPage(qb, 's', { first: filter.first, after: filter.after });
    await this.audit.record({
      actor: caller,
      action: 'correction.education-session.intensive-due',
      entityType: 'CorrectionSubject',
      towns: scope.towns,
      personKeys: page.items.map((s) => s.personKey),
      details: { ids: page.items.map((s) => s.id) },
    });
    return {
      ...page,
      items: page.items.map((subject) => {
        const from = supervisionStart(subject);
        return { subject, supervisionStart: from, firstMonthEndsOn: addDays(addMonths(from, 1), -1) };
      }),
    };
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  CheckInChannel,
  CorrectionStatus,
  DomainError,
  DomainErrorCode,
  LeaveStatus,
  MonthlyCompliance,
  appCheckInOutcome,
  validateSelfReportedHours,
  type AppCheckInOutcome,
  type LocalDate,
} from '@homeward/domain';
import { AuditWriter, Clock, Page, Principal, RecordAccess, auditedTownPage, isUuid } from '@homeward/platform';
import { AppCallers } from '../app-accounts/app-callers';
import { AssistanceKind, AssistanceNeed, AssistanceNeedStatus } from '../assistance/assistance.entity';
import { ActivityHours, ActivityKind } from '../check-ins/activity-hours.entity';
import { CheckIn } from '../check-ins/check-in.entity';
import { CheckInsService } from '../check-ins/check-ins.service';
import { CorrectionConfig } from '../config';
import { LeaveRequest } from '../leave/leave.entity';
import { SCHEMA } from '../migrations';
import { SubjectAccess, actorName } from '../subjects/subject-access';
import { CorrectionSubject } from '../subjects/subject.entity';
import { SupervisionService, supervisionStart } from '../supervision/supervision.service';
import { AppCheckInFailure, SelfReportStatus, SelfReportedHours, SubjectMessage } from './subject-app.entity';

/** What 在矫通 shows the subject on its first screen: its obligations and deadlines, nothing else. */
export interface MyCorrection {
  subject: CorrectionSubject;
  level: string | null;
  compliance: MonthlyCompliance | null;
  checkInIntervalDays: number | null;
  leaveEndsOn: LocalDate | null;
}

export interface AppCheckInResult {
  outcome: AppCheckInOutcome;
  at: Date;
  checkIn: CheckIn | null;
  nextCheckInDue: LocalDate | null;
}

const LIST_LIMIT = 50;

/**
 * CC-21, the subject's app (在矫通): the subject's own obligations and deadlines, APP check-in
 * with the device's face-match score, self-study and self community service (pending until an
 * officer confirms), assistance requests (CC-18) and messages from the office — for its own record
 * only (AppCallers). Staff side: confirming hours, the failed check-ins, sending a message.
 */
@Injectable()
export class SubjectAppService {
  private readonly selfReports: RecordAccess<SelfReportedHours>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly callers: AppCallers,
    private readonly subjects: SubjectAccess,
    private readonly checkIns: CheckInsService,
    private readonly supervision: SupervisionService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly config: CorrectionConfig,
  ) {
    this.selfReports = new RecordAccess(audit, { entity: SelfReportedHours, what: 'self-reported hours' });
  }

  // --- the subject ---

  async myCorrection(caller: Principal): Promise<MyCorrection> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.callers.subjectOf(manager, caller, 'correction.app.my-correction');
      const supervised = subject.status === CorrectionStatus.ACTIVE;
      const current = supervised ? await this.supervision.currentOfOne(subject.id, manager) : null;
      const compliance = supervised ? ((await this.checkIns.complianceOf([subject])).get(subject.id) ?? null) : null;
      const [leave] = (await manager.query(
        `SELECT end_date::text AS end FROM correction.leaves
          WHERE subject_id = $1 AND status = $2 AND start_date <= $3 AND end_date >= $3 ORDER BY end_date DESC LIMIT 1`,
        [subject.id, LeaveStatus.APPROVED, this.clock.today()],
      )) as Array<{ end: string }>;
      await this.readAudit(manager, caller, 'correction.app.my-correction', subject);
      return {
        subject,
        level: current?.level ?? null,
        compliance,
        checkInIntervalDays: current ? this.checkIns.intervalOf(current.level) : null,
        leaveEndsOn: leave?.end ?? null,
      };
    });
  }

  /** CC-21: an APP check-in now, where the device is; below the face-match threshold it is recorded as failed. */
  async appCheckIn(caller: Principal, input: { faceMatchScore: number; lat: number; lng: number; note?: string | null }): Promise<AppCheckInResult> {
    const threshold = this.config.APP_FACE_MATCH_THRESHOLD;
    const outcome = appCheckInOutcome(input, threshold);
    const at = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.callers.subjectOf(manager, caller, 'correction.app.check-in', { lock: true, requireActive: true });
      if (outcome === 'ACCEPTED') {
        const checkIn = await this.checkIns.recordFor(manager, caller, subject, {
          subjectId: subject.id,
          channel: CheckInChannel.APP,
          at,
          faceMatch: true,
          faceMatchScore: input.faceMatchScore,
          lat: input.lat,
          lng: input.lng,
          note: input.note ?? '',
        });
        const next = await this.supervision.nextDue(manager, subject, (await this.supervision.currentOfOne(subject.id, manager)).level);
        return { outcome, at, checkIn, nextCheckInDue: next };
      }
      const failure = manager.getRepository(AppCheckInFailure).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        at,
        faceMatchScore: input.faceMatchScore,
        threshold,
        lat: input.lat,
        lng: input.lng,
      });
      await manager.save(failure);
      await this.changeAudit(manager, caller, 'correction.app.check-in-failed', 'AppCheckInFailure', failure.id, subject, { faceMatchScore: input.faceMatchScore, threshold });
      return { outcome, at, checkIn: null, nextCheckInDue: null };
    });
  }

  /** CC-21: self-study (EDUCATION) or self community service hours, PENDING until an officer confirms them. */
  async reportHours(caller: Principal, kind: ActivityKind, input: { hours: number; onDate: LocalDate; note?: string | null }): Promise<SelfReportedHours> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.callers.subjectOf(manager, caller, 'correction.app.report-hours', { lock: true, requireActive: true });
      validateSelfReportedHours(input, supervisionStart(subject), this.clock.today());
      const row = manager.getRepository(SelfReportedHours).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        kind,
        hours: input.hours,
        onDate: input.onDate,
        note: input.note ?? '',
        status: SelfReportStatus.PENDING,
        decidedBy: null,
        decidedAt: null,
        rejectReason: null,
        activityHoursId: null,
      });
      await manager.save(row);
      await this.changeAudit(manager, caller, 'correction.app.report-hours', 'SelfReportedHours', row.id, subject, { kind, hours: input.hours, onDate: input.onDate });
      return row;
    });
  }

  /** CC-21 / CC-18: the subject asks for assistance; the office's assistance list shows it as an open need. */
  async requestAssistance(caller: Principal, input: { kind: AssistanceKind; description: string }): Promise<AssistanceNeed> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.callers.subjectOf(manager, caller, 'correction.app.request-assistance', { lock: true });
      const need = manager.getRepository(AssistanceNeed).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        kind: input.kind,
        description: input.description,
        recordedOn: this.clock.today(),
        recordedBy: actorName(caller),
        status: AssistanceNeedStatus.OPEN,
        requestedBySubject: true,
        givenOn: null,
        givenBy: null,
        givenNote: null,
      });
      await manager.save(need);
      await this.changeAudit(manager, caller, 'correction.app.request-assistance', 'AssistanceNeed', need.id, subject, { kind: input.kind });
      return need;
    });
  }

  async myCheckIns(caller: Principal): Promise<CheckIn[]> {
    return this.ownList(caller, 'correction.app.check-ins', (m, s) => m.getRepository(CheckIn).find({ where: { subjectId: s.id }, order: { at: 'DESC' }, take: LIST_LIMIT }));
  }

  async myFailedCheckIns(caller: Principal): Promise<AppCheckInFailure[]> {
    return this.ownList(caller, 'correction.app.failed-check-ins', (m, s) =>
      m.getRepository(AppCheckInFailure).find({ where: { subjectId: s.id }, order: { at: 'DESC' }, take: LIST_LIMIT }),
    );
  }

  async myHours(caller: Principal): Promise<SelfReportedHours[]> {
    return this.ownList(caller, 'correction.app.hours', (m, s) => m.getRepository(SelfReportedHours).find({ where: { subjectId: s.id }, order: { createdAt: 'DESC' }, take: LIST_LIMIT }));
  }

  async myAssistance(caller: Principal): Promise<AssistanceNeed[]> {
    return this.ownList(caller, 'correction.app.assistance', (m, s) => m.getRepository(AssistanceNeed).find({ where: { subjectId: s.id }, order: { createdAt: 'DESC' }, take: LIST_LIMIT }));
  }

  async myMessages(caller: Principal): Promise<SubjectMessage[]> {
    return this.ownList(caller, 'correction.app.messages', (m, s) => m.getRepository(SubjectMessage).find({ where: { subjectId: s.id }, order: { sentAt: 'DESC' }, take: LIST_LIMIT }));
  }

  async markMessageRead(caller: Principal, messageId: string): Promise<SubjectMessage> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.callers.subjectOf(manager, caller, 'correction.app.message-read');
      const message = await manager.getRepository(SubjectMessage).findOne({ where: { id: messageId, subjectId: subject.id } });
      if (!message) throw new DomainError(DomainErrorCode.NOT_FOUND, 'message not found / 未找到该消息', { field: 'messageId' });
      if (!message.readAt) {
        message.readAt = this.clock.now();
        await manager.save(message);
        await this.changeAudit(manager, caller, 'correction.app.message-read', 'SubjectMessage', message.id, subject, {});
      }
      return message;
    });
  }

  // --- the office ---

  /** CC-21: hours the subjects of the caller's towns reported, waiting for an officer. */
  async pendingHours(caller: Principal, filter: { town?: string; first: number; after?: string }): Promise<Page<SelfReportedHours>> {
    return auditedTownPage(this.dataSource, this.audit, caller, SelfReportedHours, filter, 'correction.self-reported-hours.list', (qb) => qb.andWhere('r.status = :status', { status: SelfReportStatus.PENDING }));
  }

  /** CC-21: APP check-ins that failed the face match, in the caller's towns, newest first. */
  async failedCheckIns(caller: Principal, filter: { town?: string; subjectId?: string; first: number; after?: string }): Promise<Page<AppCheckInFailure>> {
    return auditedTownPage(this.dataSource, this.audit, caller, AppCheckInFailure, filter, 'correction.app-check-in-failures.list', (qb) =>
      filter.subjectId ? qb.andWhere('r.subjectId = :subjectId', { subjectId: filter.subjectId }) : qb,
    );
  }

  /** CC-21: an officer confirms self-reported hours: they become CC-9 hours of that day. */
  async confirmHours(caller: Principal, id: string): Promise<SelfReportedHours> {
    return this.dataSource.transaction(async (manager) => {
      // The hours' foreign key locks the subject (KEY SHARE): taken before the report's row lock, in the order of
      // a residence transfer (the subject, then its records), which deadlocked with the report locked first.
      const report = isUuid(id) ? await manager.getRepository(SelfReportedHours).findOne({ where: { id }, select: { id: true, subjectId: true } }) : null;
      if (report) await manager.query(`SELECT 1 FROM ${SCHEMA}.subjects WHERE id = $1 FOR KEY SHARE`, [report.subjectId]);
      const row = await this.pendingForDecision(manager, caller, id, 'correction.self-reported-hours.confirm');
      const hours = manager.getRepository(ActivityHours).create({
        subjectId: row.subjectId,
        kind: row.kind,
        hours: row.hours,
        onDate: row.onDate,
        note: `在矫通自主申报，${actorName(caller)} 确认`,
        recordedBy: actorName(caller),
      });
      await manager.save(hours);
      Object.assign(row, { status: SelfReportStatus.CONFIRMED, decidedBy: actorName(caller), decidedAt: this.clock.now(), activityHoursId: hours.id });
      await manager.save(row);
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.self-reported-hours.confirm',
          entityType: 'SelfReportedHours',
          entityId: row.id,
          personKey: row.personKey,
          towns: [row.town],
          details: { subjectId: row.subjectId, kind: row.kind, hours: row.hours, onDate: row.onDate, activityHoursId: hours.id },
        },
        manager,
      );
      return row;
    });
  }

  async rejectHours(caller: Principal, id: string, reason: string): Promise<SelfReportedHours> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.pendingForDecision(manager, caller, id, 'correction.self-reported-hours.reject');
      Object.assign(row, { status: SelfReportStatus.REJECTED, decidedBy: actorName(caller), decidedAt: this.clock.now(), rejectReason: reason });
      await manager.save(row);
      await this.audit.record(
        { actor: caller, action: 'correction.self-reported-hours.reject', entityType: 'SelfReportedHours', entityId: row.id, personKey: row.personKey, towns: [row.town], details: { subjectId: row.subjectId } },
        manager,
      );
      return row;
    });
  }

  /** CC-21: a message from the office to the subject (shown in 在矫通). */
  async sendMessage(caller: Principal, subjectId: string, body: string): Promise<SubjectMessage> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forTownChange(manager, caller, subjectId, 'correction.app.message-send');
      const message = manager.getRepository(SubjectMessage).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        body,
        sentBy: actorName(caller),
        sentAt: this.clock.now(),
        readAt: null,
      });
      await manager.save(message);
      await this.changeAudit(manager, caller, 'correction.app.message-send', 'SubjectMessage', message.id, subject, {});
      return message;
    });
  }

  private async pendingForDecision(manager: EntityManager, caller: Principal, id: string, action: string): Promise<SelfReportedHours> {
    const row = await this.selfReports.forChange(manager, caller, id, action);
    if (row.status !== SelfReportStatus.PENDING) {
      throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'these hours were already decided / 该申报已处理', { details: { status: row.status } });
    }
    return row;
  }

  private async ownList<T>(caller: Principal, action: string, load: (m: EntityManager, s: CorrectionSubject) => Promise<T[]>): Promise<T[]> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.callers.subjectOf(manager, caller, action);
      const rows = await load(manager, subject);
      await this.readAudit(manager, caller, action, subject);
      return rows;
    });
  }

  private readAudit(manager: EntityManager, caller: Principal, action: string, subject: CorrectionSubject): Promise<void> {
    return this.audit.record({ actor: caller, action, entityType: 'CorrectionSubject', entityId: subject.id, personKey: subject.personKey, towns: [subject.town] }, manager);
  }

  private changeAudit(manager: EntityManager, caller: Principal, action: string, entityType: string, entityId: string, subject: CorrectionSubject, details: Record<string, unknown>): Promise<void> {
    return this.audit.record({ actor: caller, action, entityType, entityId, personKey: subject.personKey, towns: [subject.town], details: { subjectId: subject.id, ...details } }, manager);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  CorrectionStatus,
  DischargeReason,
  DomainError,
  DomainErrorCode,
  IntakeItem,
  TerminationReason,
  assertCanActivate,
  assertCorrectionTransition,
  assertDateWithin,
  assertDischargeDate,
  assertTerminationFits,
  reportDaysLate,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal } from '@homeward/platform';
import { closeSubjectAppAccount } from '../app-accounts/close-app-account';
import { MonitoringService } from '../monitoring/monitoring.service';
import { ExitControlService } from '../exit-control/exit-control.service';
import { CorrectionSubject } from '../subjects/subject.entity';
import { SubjectsService } from '../subjects/subjects.service';
import { AbscondingEpisode } from './absconding-episode.entity';
import { IntakeItemRecord } from './intake-item.entity';

/**
 * CC-2 … CC-5: report-in, intake checklist, activation, discharge, termination and the ABSCONDED
 * flag. Every change locks the subject, checks the move, writes the event (outbox) and the audit
 * row in one transaction.
 */
@Injectable()
export class LifecycleService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subjects: SubjectsService,
    private readonly exitControl: ExitControlService,
    private readonly monitoring: MonitoringService,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  /** CC-4: the subject reported in; a late report keeps its days late (CC-11 input). */
  async recordReportIn(caller: Principal, subjectId: string, reportedOn: string): Promise<CorrectionSubject> {
    return this.change(caller, subjectId, 'correction.subject.report-in', async (s, manager) => {
      if (s.status !== CorrectionStatus.PENDING_REPORT || s.reportedOn !== null) {
        throw illegal(`CC-4: report-in is recorded once, while the subject waits to report (now ${s.status}) / 报到已登记或当前状态不能报到`, s);
      }
      assertDateWithin(reportedOn, 'reportedOn', s.judgmentEffectiveDate, this.clock.today(), 'report-in date');
      s.reportedOn = reportedOn;
      s.reportDaysLate = reportDaysLate(s.reportDeadline, reportedOn);
      await this.events.publish(manager, 'correction.subject.reported', {
        subjectId: s.id,
        personKey: s.personKey,
        town: s.town,
        reportedOn,
        daysLate: s.reportDaysLate,
      });
      return { reportedOn, daysLate: s.reportDaysLate };
    });
  }

  /** CC-5: ticks checklist items (ticking one twice keeps the first). Only before activation. */
  async tickIntakeItems(caller: Principal, subjectId: string, items: IntakeItem[], doneOn: string): Promise<CorrectionSubject> {
    return this.change(caller, subjectId, 'correction.subject.intake-tick', async (s, manager) => {
      if (s.status !== CorrectionStatus.PENDING_REPORT) {
        throw illegal(`CC-5: the intake checklist is closed once the subject is ${s.status} / 入矫手续已办结`, s);
      }
      assertDateWithin(doneOn, 'doneOn', s.judgmentEffectiveDate, this.clock.today(), 'checklist date');
      await manager
        .createQueryBuilder()
        .insert()
        .into(IntakeItemRecord)
        .values(items.map((item) => ({ subjectId: s.id, item, doneOn, doneBy: actorName(caller) })))
        .orIgnore()
        .execute();
      return { items, doneOn };
    });
  }

  /** CC-5: PENDING_REPORT → ACTIVE once reported and every checklist item is done; CC-15 exit control reported. */
  async activate(caller: Principal, subjectId: string, on: string): Promise<CorrectionSubject> {
    return this.change(caller, subjectId, 'correction.subject.activate', async (s, manager) => {
      const done = await manager.getRepository(IntakeItemRecord).find({ select: { item: true }, where: { subjectId: s.id } });
      assertCanActivate({ status: s.status, reportedOn: s.reportedOn, intakeDone: done.map((d) => d.item) });
      assertCorrectionTransition(s.status, CorrectionStatus.ACTIVE);
      assertDateWithin(on, 'on', s.reportedOn, this.clock.today(), 'activation date');
      s.status = CorrectionStatus.ACTIVE;
      s.activatedOn = on;
      await this.exitControl.report(manager, s);
      await this.events.publish(manager, 'correction.subject.activated', { subjectId: s.id, personKey: s.personKey, town: s.town, activatedOn: on });
      return { activatedOn: on };
    });
  }

  /** CC-2: ACTIVE → DISCHARGED (期满 / 赦免); exit control withdrawn; resettlement takes over (CC-20). */
  async discharge(caller: Principal, subjectId: string, reason: DischargeReason, on: string): Promise<CorrectionSubject> {
    return this.change(caller, subjectId, 'correction.subject.discharge', async (s, manager) => {
      assertCorrectionTransition(s.status, CorrectionStatus.DISCHARGED);
      if (s.lostContactOn !== null) {
        throw illegal('CC-2: an absconded subject cannot be discharged; clear the flag first / 脱管对象不能解除矫正', s);
      }
      assertDateWithin(on, 'on', s.activatedOn, this.clock.today(), 'discharge date');
      assertDischargeDate(reason, on, s.correctionEndDate);
      this.end(s, CorrectionStatus.DISCHARGED, reason, on);
      await this.exitControl.withdraw(manager, s, CorrectionStatus.DISCHARGED);
      await closeSubjectAppAccount(manager, s.id, this.clock.now());
      // CC-12: electronic location ends with the correction.
      await this.monitoring.endAllOfSubject(manager, caller, s.id, on, 'correction discharged / 解除矫正');
      await this.events.publish(manager, 'correction.subject.discharged', {
        subjectId: s.id,
        personKey: s.personKey,
        town: s.town,
        dischargedOn: on,
        reason,
        correctionEndDate: s.correctionEndDate,
        sentenceType: s.sentenceType,
      });
      return { reason, on };
    });
  }

  /** CC-2: PENDING_REPORT or ACTIVE → TERMINATED (撤销 / 收监 / 死亡); the ABSCONDED flag is cleared (its episode stays open in the history: never found). */
  async terminate(caller: Principal, subjectId: string, reason: TerminationReason, on: string, newOffence = false): Promise<CorrectionSubject> {
    return this.change(caller, subjectId, 'correction.subject.terminate', async (s, manager) => {
      assertCorrectionTransition(s.status, CorrectionStatus.TERMINATED);
      assertTerminationFits(s.sentenceType, reason, newOffence);
      s.endedForNewOffence = newOffence;
      assertDateWithin(on, 'on', s.activatedOn ?? s.judgmentEffectiveDate, this.clock.today(), 'termination date');
      this.end(s, CorrectionStatus.TERMINATED, reason, on);
      await this.exitControl.withdraw(manager, s, CorrectionStatus.TERMINATED);
      await closeSubjectAppAccount(manager, s.id, this.clock.now());
      await this.monitoring.endAllOfSubject(manager, caller, s.id, on, 'correction terminated / 终止矫正');
      await this.events.publish(manager, 'correction.subject.terminated', { subjectId: s.id, personKey: s.personKey, town: s.town, terminatedOn: on, reason });
      return { reason, on, newOffence };
    });
  }

  /** CC-2: sets the ABSCONDED flag on an ACTIVE subject (alerts: lost contact, RED). */
  async markAbsconded(caller: Principal, subjectId: string, lostContactOn: string): Promise<CorrectionSubject> {
    return this.change(caller, subjectId, 'correction.subject.absconded', async (s, manager) => {
      if (s.status !== CorrectionStatus.ACTIVE) throw illegal(`CC-2: only an ACTIVE subject can be marked absconded (now ${s.status}) / 仅在矫对象可标记脱管`, s);
      if (s.lostContactOn !== null) throw illegal(`CC-2: already absconded since ${s.lostContactOn} / 该对象已标记脱管`, s);
      assertDateWithin(lostContactOn, 'lostContactOn', s.activatedOn, this.clock.today(), 'lost-contact date');
      s.lostContactOn = lostContactOn;
      await manager.getRepository(AbscondingEpisode).insert({ subjectId: s.id, lostContactOn, foundOn: null, recordedBy: actorName(caller) });
      await this.events.publish(manager, 'correction.subject.absconded', { subjectId: s.id, personKey: s.personKey, town: s.town, lostContactOn });
      return { lostContactOn };
    });
  }

  /** CC-2: clears the ABSCONDED flag (found). The open alert stays for staff to resolve. */
  async clearAbsconded(caller: Principal, subjectId: string, foundOn: string): Promise<CorrectionSubject> {
    return this.change(caller, subjectId, 'correction.subject.found', async (s, manager) => {
      const lostContactOn = s.lostContactOn;
      if (s.status !== CorrectionStatus.ACTIVE || lostContactOn === null) {
        throw illegal('CC-2: the subject is not absconded / 该对象未脱管', s);
      }
      assertDateWithin(foundOn, 'foundOn', lostContactOn, this.clock.today(), 'found date');
      s.lostContactOn = null;
      await manager
        .createQueryBuilder()
        .update(AbscondingEpisode)
        .set({ foundOn })
        .where('subject_id = :id AND found_on IS NULL', { id: s.id })
        .execute();
      await this.events.publish(manager, 'correction.subject.found', { subjectId: s.id, personKey: s.personKey, town: s.town, lostContactOn, foundOn });
      return { lostContactOn, foundOn };
    });
  }

  async checklistBySubjectIds(ids: readonly string[]): Promise<Map<string, IntakeItemRecord[]>> {
    const out = new Map<string, IntakeItemRecord[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(IntakeItemRecord).find({ where: { subjectId: In([...ids]) } });
    for (const row of rows) out.get(row.subjectId)?.push(row);
    return out;
  }

  async abscondingBySubjectIds(ids: readonly string[]): Promise<Map<string, AbscondingEpisode[]>> {
    const out = new Map<string, AbscondingEpisode[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(AbscondingEpisode).find({ where: { subjectId: In([...ids]) }, order: { lostContactOn: 'ASC' } });
    for (const row of rows) out.get(row.subjectId)?.push(row);
    return out;
  }

  private end(s: CorrectionSubject, status: CorrectionStatus, reason: string, on: string): void {
    s.status = status;
    s.endedOn = on;
    s.endReason = reason;
    if (s.lostContactOn !== null) s.lostContactOn = null;
  }

  /** Locks the subject, applies `fn`, saves, audits, all in one transaction. */
  private async change(
    caller: Principal,
    subjectId: string,
    action: string,
    fn: (s: CorrectionSubject, manager: EntityManager) => Promise<Record<string, unknown>>,
  ): Promise<CorrectionSubject> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.lockForChange(manager, caller, subjectId);
      const from = subject.status;
      const details = await fn(subject, manager);
      await manager.save(subject);
      await this.audit.record(
        {
          actor: caller,
          action,
          entityType: 'CorrectionSubject',
          entityId: subject.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { from, to: subject.status, ...details },
        },
        manager,
      );
      return subject;
    });
  }
}

function actorName(caller: Principal): string {
  return caller.username ?? caller.sub;
}

function illegal(message: string, s: CorrectionSubject): DomainError {
  return new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, message, { field: 'status', details: { status: s.status, absconded: s.lostContactOn !== null } });
}


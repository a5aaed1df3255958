import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { CorrectionStatus, ResidenceTransferStatus, TRANSFERRED_OUT_END_REASON, compareLocalDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditActor, AuditWriter, Clock, Principal } from '@homeward/platform';
import { closeSubjectAppAccount } from '../app-accounts/close-app-account';
import { AssignmentsService } from '../assignments/assignments.service';
import { LeaveRequest } from '../leave/leave.entity';
import { CorrectionSubject } from '../subjects/subject.entity';
import { HandoverSummary, ResidenceTransfer } from './residence-transfer.entity';

/**
 * The subject-linked tables whose rows carry the owning town: the case file goes with the case
 * (档案随案移交), so the new town sees it and the old town no longer does. Case reports (CC-28) are the
 * reporting office's own work and stay with it.
 */
const CASE_TABLES = [
  'monitorings',
  'leaves',
  'procuratorate_notices',
  'exit_controls',
  'assistance_needs',
  'disputes',
  'archive_documents',
  'restorative_cases',
  'prohibition_zones',
  'residence_disputes',
  'pursuit_requests',
  'custody_proposals',
  // CC-21: what the subject and its team recorded in their apps follows the case to the new town.
  'app_check_in_failures',
  'self_reported_hours',
  'subject_messages',
  'team_visits',
  // CC-27: the subject's psychological-service records (an open crisis flag's alert follows the subject).
  'psych_service_records',
] as const;

const SYSTEM: AuditActor = { system: 'community-correction.residence-transfer' };

/**
 * CC-13 (issue 7 item 9): an approved change of residence moves the case on its date. Approval
 * schedules a transfer (in the approval's transaction); on or after its effective date it is carried
 * out at once (a date already reached) or by the periodic run (`applyDue`, TransfersScheduler).
 * Carrying it out, in one transaction: the subject and its case file get the new town (or, out of
 * Jiangyin, the receiving county's area code and status TRANSFERRED_OUT, so no Jiangyin town keeps
 * access and the city reads the history), the old town's social-worker assignments and correction
 * team end, and `correction.subject.transferred` is published for alerts (and the audit).
 */
@Injectable()
export class TransfersService {
  private readonly logger = new Logger(TransfersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly assignments: AssignmentsService,
  ) {}

  /** In the approval's transaction: the transfer of an approved RESIDENCE_CHANGE, carried out now when its date has come. */
  async schedule(manager: EntityManager, caller: Principal, leave: LeaveRequest): Promise<ResidenceTransfer> {
    const repo = manager.getRepository(ResidenceTransfer);
    const transfer = await repo.save(
      repo.create({
        leaveId: leave.id,
        subjectId: leave.subjectId,
        personKey: leave.personKey,
        fromTown: leave.town,
        toTown: leave.toTown,
        receivingCountyCode: leave.receivingCountyCode,
        receivingAuthority: leave.receivingAuthority,
        effectiveDate: leave.startDate,
        status: ResidenceTransferStatus.PENDING,
        approvedBy: caller.username ?? caller.sub,
        appliedAt: null,
        handover: {},
      }),
    );
    await this.record(manager, caller, 'correction.transfer.schedule', transfer);
    if (compareLocalDate(transfer.effectiveDate, this.clock.today()) <= 0) await this.carryOut(manager, transfer, caller);
    return transfer;
  }

  /** The periodic run: every pending transfer whose date has come, each in its own transaction. Answers how many moved. */
  async applyDue(): Promise<number> {
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM correction.residence_transfers WHERE status = 'PENDING' AND effective_date <= $1::date ORDER BY effective_date, created_at`,
      [this.clock.today()],
    );
    let applied = 0;
    for (const { id } of due) {
      const done = await this.dataSource.transaction(async (manager) => {
        const t = await manager.getRepository(ResidenceTransfer).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!t || t.status !== ResidenceTransferStatus.PENDING) return false;
        return this.carryOut(manager, t, SYSTEM);
      });
      if (done) applied += 1;
    }
    if (applied > 0) this.logger.log(`carried out ${applied} residence transfer(s)`);
    return applied;
  }

  /** The transfers of subjects already shown to the caller (a DataLoader batch), newest first. */
  async bySubjectIds(ids: readonly string[]): Promise<Map<string, ResidenceTransfer[]>> {
    const out = new Map<string, ResidenceTransfer[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(ResidenceTransfer).find({ where: { subjectId: In([...ids]) }, order: { effectiveDate: 'DESC', createdAt: 'DESC' } });
    for (const t of rows) out.get(t.subjectId)?.push(t);
    return out;
  }

  private async carryOut(manager: EntityManager, t: ResidenceTransfer, actor: AuditActor): Promise<boolean> {
    const subject = await manager.getRepository(CorrectionSubject).findOne({ where: { id: t.subjectId }, lock: { mode: 'pessimistic_write' } });
    if (!subject || subject.status !== CorrectionStatus.ACTIVE || subject.town !== t.fromTown) {
      // Correction ended (or the case moved on) before the date: nothing is moved.
      t.status = ResidenceTransferStatus.CANCELLED;
      await manager.save(t);
      await this.record(manager, actor, 'correction.transfer.cancel', t, { status: subject?.status ?? null });
      return false;
    }
    const outOfCounty = t.toTown === null;
    const newTown = (t.toTown ?? t.receivingCountyCode) as string;
    const now = this.clock.now();
    const by = 'system:residence-transfer';
    const handover: HandoverSummary = {};
    handover.assignmentsEnded = await this.assignments.endAllForSubject(manager, subject.id, now, by);
    const [, teamEnded] = await manager.query(`UPDATE correction.team_members SET ended_on = $2 WHERE subject_id = $1 AND ended_on IS NULL`, [
      subject.id,
      t.effectiveDate,
    ]);
    handover.teamMembersEnded = Number(teamEnded ?? 0);
    // CC-22: a volunteer belongs to its town; its service of this subject ends with the case leaving it
    // (kept as history, as a withdrawal does). The new town's volunteers take it up.
    const [, volunteersEnded] = await manager.query(
      `UPDATE correction.volunteer_subjects SET to_date = GREATEST(from_date, $2::date), ended_by = $3 WHERE subject_id = $1 AND to_date IS NULL`,
      [subject.id, t.effectiveDate, by],
    );
    handover.volunteerServicesEnded = Number(volunteersEnded ?? 0);
    if (outOfCounty) {
      // The receiving county supervises from the date: Jiangyin's electronic location ends with the hand-over.
      const [, ended] = await manager.query(
        `UPDATE correction.monitorings SET status = 'ENDED', ended_on = GREATEST(start_date, $2::date) WHERE subject_id = $1 AND status = 'ACTIVE'`,
        [subject.id, t.effectiveDate],
      );
      handover.monitoringsEnded = Number(ended ?? 0);
      const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM correction.archive_documents WHERE subject_id = $1`, [subject.id]);
      handover.archiveDocuments = n;
    }
    for (const table of CASE_TABLES) {
      await manager.query(`UPDATE correction.${table} SET town = $2 WHERE subject_id = $1 AND town = $3`, [subject.id, newTown, t.fromTown]);
    }
    subject.town = newTown;
    if (outOfCounty) {
      subject.status = CorrectionStatus.TRANSFERRED_OUT;
      subject.endedOn = t.effectiveDate;
      subject.endReason = TRANSFERRED_OUT_END_REASON;
      await closeSubjectAppAccount(manager, subject.id, now);
    }
    await manager.save(subject);
    t.status = ResidenceTransferStatus.APPLIED;
    t.appliedAt = now;
    t.handover = handover;
    await manager.save(t);
    await this.events.publish(manager, 'correction.subject.transferred', {
      transferId: t.id,
      leaveId: t.leaveId,
      subjectId: subject.id,
      personKey: subject.personKey,
      town: newTown,
      fromTown: t.fromTown,
      toTown: t.toTown,
      receivingCountyCode: t.receivingCountyCode,
      effectiveDate: t.effectiveDate,
    });
    await this.record(manager, actor, 'correction.transfer.apply', t, { handover });
    return true;
  }

  private async record(manager: EntityManager, actor: AuditActor, action: string, t: ResidenceTransfer, details: Record<string, unknown> = {}): Promise<void> {
    await this.audit.record(
      {
        actor,
        action,
        entityType: 'ResidenceTransfer',
        entityId: t.id,
        personKey: t.personKey,
        towns: [t.fromTown, ...(t.toTown ? [t.toTown] : [])],
        details: {
          subjectId: t.subjectId,
          leaveId: t.leaveId,
          toTown: t.toTown,
          receivingCountyCode: t.receivingCountyCode,
          effectiveDate: t.effectiveDate,
          ...details,
        },
      },
      manager,
    );
  }
}

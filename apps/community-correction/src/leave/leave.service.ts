import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  DomainErrorCode,
  LeaveApprovalLevel,
  LeaveKind,
  LeaveStatus,
  Role,
  assertLeaveTransition,
  boxPolygon,
  compareLocalDate,
  requiredLeaveApprovalLevel,
  residenceChangeTarget,
  toPgPolygon,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, EMPTY_PAGE, Principal, isUuid, keysetPage, personScope, whereInScope, RecordAccess } from '@homeward/platform';
import { SCHEMA } from '../migrations';
import { CorrectionConfig } from '../config';
import { SubjectAccess } from '../subjects/subject-access';
import { TransfersService } from '../transfers/transfers.service';
import { LeaveRequest } from './leave.entity';
import { DecideLeaveInput, LeavesArgs, RecordLeaveReturnInput, RequestLeaveInput } from './leave.types';

@Injectable()
export class LeaveService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
    private readonly transfers: TransfersService,
    private readonly subjects: SubjectAccess,
  ) {
    this.leaves = new RecordAccess(audit, { entity: LeaveRequest, what: 'leave' });
  }

  private readonly leaves: RecordAccess<LeaveRequest>;

  /** CC-13: a request; the approval level follows from kind and length (≤ 7 days: justice office); > LEAVE_MAX_DAYS refused. */
  async request(caller: Principal, input: RequestLeaveInput): Promise<LeaveRequest> {
    const level = requiredLeaveApprovalLevel(input.kind, input.startDate, input.endDate, this.config.LEAVE_MAX_DAYS);
    const travelArea = input.travelArea ? toPgPolygon(boxPolygon(input.travelArea)) : null;
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.leave.request', { requireActive: true });
      const target = residenceChangeTarget(input.kind, subject.town, input, input.startDate);
      const leave = manager.getRepository(LeaveRequest).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        kind: input.kind,
        destination: input.destination,
        reason: input.reason,
        toTown: target?.kind === 'TOWN' ? target.toTown : null,
        receivingCountyCode: target?.kind === 'OUT_OF_COUNTY' ? target.receivingCountyCode : null,
        receivingAuthority: target?.kind === 'OUT_OF_COUNTY' ? target.receivingAuthority : null,
        startDate: input.startDate,
        endDate: input.endDate,
        travelArea,
        approvalLevel: level,
        status: LeaveStatus.REQUESTED,
        requestedBy: who(caller),
        decidedBy: null,
        decidedAt: null,
        decisionNote: null,
        returnedOn: null,
      });
      await manager.save(leave);
      await this.record(manager, caller, 'correction.leave.request', leave, {
        kind: leave.kind,
        startDate: leave.startDate,
        endDate: leave.endDate,
        level,
        ...(target ? { toTown: leave.toTown, receivingCountyCode: leave.receivingCountyCode } : {}),
      });
      return leave;
    });
  }

  /** CC-13: a county-bureau level request needs a CITY_ADMIN; a justice-office one a TOWN_OFFICER or CITY_ADMIN. */
  async approve(caller: Principal, input: DecideLeaveInput): Promise<LeaveRequest> {
    return this.decide(caller, input, LeaveStatus.APPROVED, async (manager, leave) => {
      await this.events.publish(manager, 'correction.leave.approved', {
        leaveId: leave.id,
        subjectId: leave.subjectId,
        personKey: leave.personKey,
        town: leave.town,
        kind: leave.kind,
        startDate: leave.startDate,
        endDate: leave.endDate,
      });
      // CC-13: a change of residence moves the case on its start date (TransfersService).
      if (leave.kind === LeaveKind.RESIDENCE_CHANGE) await this.transfers.schedule(manager, caller, leave);
    });
  }

  async reject(caller: Principal, input: DecideLeaveInput): Promise<LeaveRequest> {
    return this.decide(caller, input, LeaveStatus.REJECTED, async () => undefined);
  }

  /** CC-13: the return settles the overstay watch. */
  async recordReturn(caller: Principal, input: RecordLeaveReturnInput): Promise<LeaveRequest> {
    return this.dataSource.transaction(async (manager) => {
      const leave = await this.lockVisible(manager, caller, input.leaveId, 'correction.leave.return');
      assertLeaveTransition(leave.status, LeaveStatus.RETURNED);
      if (compareLocalDate(input.returnedOn, leave.startDate) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'return before the leave started / 返回日期早于外出日期', { field: 'returnedOn' });
      }
      leave.status = LeaveStatus.RETURNED;
      leave.returnedOn = input.returnedOn;
      await manager.save(leave);
      await this.events.publish(manager, 'correction.leave.returned', {
        leaveId: leave.id,
        subjectId: leave.subjectId,
        personKey: leave.personKey,
        town: leave.town,
        returnedOn: input.returnedOn,
      });
      await this.record(manager, caller, 'correction.leave.return', leave, { returnedOn: input.returnedOn });
      return leave;
    });
  }

  async list(caller: Principal, filter: LeavesArgs): Promise<{ items: LeaveRequest[]; totalCount: number; endCursor: string | null; hasNextPage: boolean }> {
    const scope = personScope(caller, filter.town);
    const towns = scope.towns;
    const qb = this.dataSource.getRepository(LeaveRequest).createQueryBuilder('l');
    if (!whereInScope(qb, 'l', scope)) return EMPTY_PAGE;
    if (filter.status) qb.andWhere('l.status = :status', { status: filter.status });
    if (filter.subjectId) qb.andWhere('l.subjectId = :subjectId', { subjectId: filter.subjectId });
    const page = await keysetPage(qb, 'l', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'correction.leave.list', entityType: 'LeaveRequest', towns, personKeys: page.items.map((l) => l.personKey), details: { ids: page.items.map((l) => l.id) } });
    return page;
  }

  private async decide(
    caller: Principal,
    input: DecideLeaveInput,
    to: LeaveStatus,
    after: (manager: EntityManager, leave: LeaveRequest) => Promise<void>,
  ): Promise<LeaveRequest> {
    const action = to === LeaveStatus.APPROVED ? 'correction.leave.approve' : 'correction.leave.reject';
    return this.dataSource.transaction(async (manager) => {
      const leave = await this.lockVisible(manager, caller, input.leaveId, action);
      assertLeaveTransition(leave.status, to);
      if (leave.approvalLevel === LeaveApprovalLevel.COUNTY_BUREAU && !caller.roles.includes(Role.CITY_ADMIN)) {
        // Outside the transaction the refusal rolls back: the denial must stay on record.
        await this.audit.recordOutsideTransaction({ actor: caller, action, entityType: 'LeaveRequest', entityId: leave.id, personKey: leave.personKey, towns: [leave.town], outcome: 'DENIED' }, manager);
        throw new DomainError(
          DomainErrorCode.FORBIDDEN,
          'CC-13: leave longer than 7 days or a change of residence is decided by the county bureau / 超过七日的外出或变更执行地由县级社区矫正机构审批',
          { details: { approvalLevel: leave.approvalLevel } },
        );
      }
      leave.status = to;
      leave.decidedBy = who(caller);
      leave.decidedAt = this.clock.now();
      leave.decisionNote = input.note ?? null;
      await manager.save(leave);
      await after(manager, leave);
      await this.record(manager, caller, action, leave, { note: input.note ?? null });
      return leave;
    });
  }

  /**
   * The leave, locked after its subject: approving a residence change dated today locks the subject (the
   * transfer's carryOut), and a transfer of the subject already under way holds the subject and then updates its
   * leaves — the leave locked first deadlocked with it (a lock-order review, session 14). The subject is locked
   * by id only; the caller's reach is the leave's RecordAccess, as before.
   */
  private async lockVisible(manager: EntityManager, caller: Principal, id: string, action: string): Promise<LeaveRequest> {
    const found = isUuid(id) ? await manager.getRepository(LeaveRequest).findOne({ where: { id }, select: { id: true, subjectId: true } }) : null;
    if (found) await manager.query(`SELECT 1 FROM ${SCHEMA}.subjects WHERE id = $1 FOR UPDATE`, [found.subjectId]);
    return this.leaves.forChange(manager, caller, id, action);
  }


  private async record(manager: EntityManager, caller: Principal, action: string, leave: LeaveRequest, details: Record<string, unknown>): Promise<void> {
    await this.audit.record(
      { actor: caller, action, entityType: 'LeaveRequest', entityId: leave.id, personKey: leave.personKey, towns: [leave.town], details: { subjectId: leave.subjectId, ...details } },
      manager,
    );
  }
}

function who(caller: Principal): string {
  return caller.username ?? caller.sub;
}

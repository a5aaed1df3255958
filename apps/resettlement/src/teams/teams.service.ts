import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, In } from 'typeorm';
import { AssistanceMeasureKind, AssistanceTeamRole, DomainError, DomainErrorCode, NON_STAFF_TEAM_ROLES, compareLocalDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, CASELOAD_SOURCE, CaseAssignment, CaseAssignmentStore, assignmentChangedPayload, Clock, Principal, RecordAccess, inTransaction, isUuid } from '@homeward/platform';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { AssistanceMeasure, AssistancePlan, AssistanceTeamMember } from './team.entity';

export const TEAM_NAME_MAX = 50;
export const TEAM_REASON_MAX = 200;
export const PLAN_GOALS_MAX = 2000;
export const PLAN_MEASURE_MAX = 1000;
export const PLAN_MEASURES_MAX = 20;

export interface AddTeamMember {
  caseId: string;
  role: AssistanceTeamRole;
  name: string;
  staffUserId?: string | null;
  staffUsername?: string | null;
}

export interface SetPlan {
  caseId: string;
  goals: string;
  measures: AssistanceMeasure[];
  reviewOn: string;
}

const invalid = (field: string, message: string, details?: Record<string, unknown>) => new DomainError(DomainErrorCode.VALIDATION_FAILED, message, { field, details });

/** Trimmed text of 1 to `max` characters, or a VALIDATION_FAILED on `field`. */
function text(value: string | null | undefined, max: number, field: string, what: string): string {
  const t = value?.trim() ?? '';
  if (t.length < 1 || t.length > max) throw invalid(field, `${field} must be 1 to ${max} characters / ${what}须为1至${max}个字符`);
  return t;
}

/**
 * RS-6 the assistance team (帮教小组) and plan (帮教方案) of an assistance case. The town office
 * (STAFF_WRITERS of the case's town) adds and removes members and saves plans; every change is
 * audited in its transaction and nothing is deleted. A SOCIAL_WORKER member with a staff user id is
 * also an assignment in `resettlement.case_assignments`, which is the resettlement caseload the
 * platform's AuthGuard reads (CASELOAD_SOURCE); removing the member ends it.
 */
@Injectable()
export class TeamsService {
  private readonly cases: RecordAccess<AssistanceCase>;
  private readonly members: RecordAccess<AssistanceTeamMember>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CASELOAD_SOURCE) private readonly assignments: CaseAssignmentStore,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {
    this.cases = new RecordAccess(audit, {
      entity: AssistanceCase,
      scope: 'town',
      notFound: () => new DomainError(DomainErrorCode.NOT_FOUND, 'assistance case not found / 未找到该帮教对象'),
    });
    this.members = new RecordAccess(audit, {
      entity: AssistanceTeamMember,
      scope: 'town',
      notFound: (id) => new DomainError(DomainErrorCode.NOT_FOUND, `team member ${id} not found / 未找到该帮教小组成员`, { field: 'memberId' }),
    });
  }

  async addMember(caller: Principal, cmd: AddTeamMember): Promise<AssistanceTeamMember> {
    if (!Object.values(AssistanceTeamRole).includes(cmd.role)) {
      throw invalid('role', 'unknown team role / 未知的帮教小组成员类别', { allowed: Object.values(AssistanceTeamRole) });
    }
    const name = text(cmd.name, TEAM_NAME_MAX, 'name', '姓名');
    const staffUserId = cmd.staffUserId?.trim() || null;
    const staffUsername = cmd.staffUsername?.trim() || null;
    if ((staffUserId || staffUsername) && NON_STAFF_TEAM_ROLES.includes(cmd.role)) {
      throw invalid('staffUserId', `a ${cmd.role} member is not staff and has no staff account / 家庭成员、志愿者和用工单位不是工作人员，不能关联工作人员账号`);
    }
    if (staffUserId && staffUserId.length > 128) throw invalid('staffUserId', 'staffUserId is at most 128 characters / 工作人员账号ID最多128个字符');
    if (staffUsername && staffUsername.length > 80) throw invalid('staffUsername', 'staffUsername is at most 80 characters / 工作人员用户名最多80个字符');
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.cases.forChange(manager, caller, cmd.caseId, 'resettlement.team.add');
      if (kase.status !== 'ACTIVE') {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `the assistance case is ${kase.status}, not ACTIVE / 帮教已结束，不能调整帮教小组`, { field: 'caseId', details: { status: kase.status } });
      }
      if (staffUserId && (await manager.getRepository(AssistanceTeamMember).exists({ where: { caseId: kase.id, staffUserId, removedAt: IsNull() } }))) {
        throw new DomainError(DomainErrorCode.CONFLICT, 'this staff member is already on the team / 该工作人员已在帮教小组中', { field: 'staffUserId' });
      }
      const now = this.clock.now();
      let assignmentId: string | null = null;
      if (cmd.role === AssistanceTeamRole.SOCIAL_WORKER && staffUserId) {
        // An assignment may run without a member only if made elsewhere; one per worker and case.
        const running = await this.assignments.activeFor(manager, staffUserId, kase.id);
        const assignment = running ?? (await this.assignments.start(manager, { workerId: staffUserId, subjectId: kase.id, personKey: kase.personKey, town: kase.town, at: now, by: caller.sub }));
        if (!running) await this.publishAssignment(manager, assignment);
        assignmentId = assignment.id;
      }
      const m = await manager.save(
        manager.getRepository(AssistanceTeamMember).create({
          caseId: kase.id,
          personKey: kase.personKey,
          town: kase.town,
          role: cmd.role,
          name,
          staffUserId,
          staffUsername,
          assignmentId,
          addedAt: now,
          addedBy: caller.sub,
          removedAt: null,
          removedBy: null,
          removalReason: null,
        }),
      );
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.team.add',
          entityType: 'AssistanceTeamMember',
          entityId: m.id,
          personKey: m.personKey,
          towns: [m.town],
          details: { caseId: m.caseId, role: m.role, staffUserId, assignmentId },
        },
        manager,
      );
      return m;
    });
  }

  async removeMember(caller: Principal, memberId: string, reasonIn: string): Promise<AssistanceTeamMember> {
    const reason = text(reasonIn, TEAM_REASON_MAX, 'reason', '移出原因');
    return inTransaction(this.dataSource, async (manager) => {
      const m = await this.members.forChange(manager, caller, memberId, 'resettlement.team.remove');
      if (m.removedAt) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the member has already been removed / 该成员已移出帮教小组', { field: 'memberId' });
      }
      const now = this.clock.now();
      m.removedAt = now;
      m.removedBy = caller.sub;
      m.removalReason = reason;
      await manager.save(m);
      let assignmentEnded = false;
      if (m.assignmentId) {
        const a = await this.assignments.lock(manager, m.assignmentId);
        if (a && !a.endedAt) {
          await this.publishAssignment(manager, await this.assignments.end(manager, a.id, now, caller.sub));
          assignmentEnded = true;
        }
      }
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.team.remove',
          entityType: 'AssistanceTeamMember',
          entityId: m.id,
          personKey: m.personKey,
          towns: [m.town],
          details: { caseId: m.caseId, role: m.role, assignmentId: m.assignmentId, assignmentEnded },
        },
        manager,
      );
      return m;
    });
  }

  /** Alerts keeps a copy of the caseloads, so a resettlement social worker sees its persons' alerts (and no one else's). */
  private async publishAssignment(manager: EntityManager, a: CaseAssignment): Promise<void> {
    await this.events.publish(manager, 'resettlement.assignment.changed', assignmentChangedPayload(a));
  }

  async setPlan(caller: Principal, cmd: SetPlan): Promise<AssistancePlan> {
    const goals = text(cmd.goals, PLAN_GOALS_MAX, 'goals', '帮教目标');
    if (!Array.isArray(cmd.measures) || cmd.measures.length < 1 || cmd.measures.length > PLAN_MEASURES_MAX) {
      throw invalid('measures', `a plan needs 1 to ${PLAN_MEASURES_MAX} measures / 帮教方案须包括1至${PLAN_MEASURES_MAX}项措施`);
    }
    const measures = cmd.measures.map((m, i) => {
      if (!Object.values(AssistanceMeasureKind).includes(m.kind)) throw invalid(`measures.${i}.kind`, 'unknown measure kind / 未知的帮教措施类别');
      return { kind: m.kind, description: text(m.description, PLAN_MEASURE_MAX, `measures.${i}.description`, '措施内容') };
    });
    if (compareLocalDate(cmd.reviewOn, this.clock.today()) <= 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'reviewOn must be after today / 方案复核日期须晚于今天', { field: 'reviewOn' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.cases.forChange(manager, caller, cmd.caseId, 'resettlement.plan.set');
      if (kase.status !== 'ACTIVE') {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `the assistance case is ${kase.status}, not ACTIVE / 帮教已结束，不能制定帮教方案`, { field: 'caseId', details: { status: kase.status } });
      }
      // The case row is locked: versions of one case are numbered one after another.
      const [{ max }]: [{ max: number | null }] = await manager.query(`SELECT max(version)::int AS max FROM resettlement.assistance_plans WHERE case_id = $1`, [kase.id]);
      const p = await manager.save(
        manager.getRepository(AssistancePlan).create({
          caseId: kase.id,
          personKey: kase.personKey,
          town: kase.town,
          version: (max ?? 0) + 1,
          goals,
          measuresJson: JSON.stringify(measures),
          reviewOn: cmd.reviewOn,
          recordedBy: caller.sub,
          createdAt: this.clock.now(),
        }),
      );
      await this.audit.record(
        {
          actor: caller,
          action: 'resettlement.plan.set',
          entityType: 'AssistancePlan',
          entityId: p.id,
          personKey: p.personKey,
          towns: [p.town],
          details: { caseId: p.caseId, version: p.version, measures: measures.map((m) => m.kind), reviewOn: p.reviewOn },
        },
        manager,
      );
      return p;
    });
  }

  /** The case page: every member (current and removed) of each case, oldest first (a DataLoader batch). */
  async membersByCaseIds(caseIds: readonly string[]): Promise<Map<string, AssistanceTeamMember[]>> {
    const out = new Map<string, AssistanceTeamMember[]>(caseIds.map((id) => [id, []]));
    const ids = caseIds.filter(isUuid);
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(AssistanceTeamMember).find({ where: { caseId: In(ids) }, order: { addedAt: 'ASC', id: 'ASC' } });
    for (const r of rows) out.get(r.caseId)?.push(r);
    return out;
  }

  /** The case page: every plan version of each case, newest first (a DataLoader batch). */
  async plansByCaseIds(caseIds: readonly string[]): Promise<Map<string, AssistancePlan[]>> {
    const out = new Map<string, AssistancePlan[]>(caseIds.map((id) => [id, []]));
    const ids = caseIds.filter(isUuid);
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(AssistancePlan).find({ where: { caseId: In(ids) }, order: { version: 'DESC' } });
    for (const r of rows) out.get(r.caseId)?.push(r);
    return out;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode, assertTeamComposition } from '@homeward/domain';
import { AuditWriter, Clock, Principal, isUuid } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { SubjectsService } from '../subjects/subjects.service';
import { AddTeamMemberInput } from './dto/plan.inputs';
import { CorrectionPlan } from './plan.entity';
import { TeamMember } from './team-member.entity';

const ENDED = [CorrectionStatus.DISCHARGED, CorrectionStatus.TERMINATED];

/** CC-7: the correction plan and the correction team; approval checks the team composition. */
@Injectable()
export class PlansService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subjects: SubjectsService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  /** Writes the plan's content; a change to an approved plan withdraws the approval. */
  async savePlan(caller: Principal, subjectId: string, content: string): Promise<CorrectionPlan> {
    return this.onOpenSubject(caller, subjectId, 'correction.plan.save', async (subject, manager) => {
      const repo = manager.getRepository(CorrectionPlan);
      let plan = await repo.findOne({ where: { subjectId: subject.id }, lock: { mode: 'pessimistic_write' } });
      if (!plan) plan = repo.create({ subjectId: subject.id, content, approved: false, approvedBy: null, approvedOn: null });
      else if (plan.content !== content) Object.assign(plan, { content, approved: false, approvedBy: null, approvedOn: null });
      plan = await repo.save(plan);
      return { result: plan, entityType: 'CorrectionPlan', entityId: plan.id, details: { subjectId: subject.id, approved: plan.approved } };
    });
  }

  /**
   * CC-7: approves the plan when the team fits the subject: a woman for a female subject, someone
   * versed in minors for a subject under 18 on the approval day. Refused with ILLEGAL_TRANSITION.
   */
  async approvePlan(caller: Principal, subjectId: string): Promise<CorrectionPlan> {
    return this.onOpenSubject(caller, subjectId, 'correction.plan.approve', async (subject, manager) => {
      const plan = await manager.getRepository(CorrectionPlan).findOne({ where: { subjectId: subject.id }, lock: { mode: 'pessimistic_write' } });
      if (!plan) throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'CC-7: there is no correction plan to approve / 尚未制定矫正方案', { field: 'plan' });
      if (plan.approved) throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'CC-7: the plan is already approved / 矫正方案已审批', { field: 'plan' });
      const today = this.clock.today();
      const members = await manager.getRepository(TeamMember).find({ where: { subjectId: subject.id, endedOn: IsNull() } });
      assertTeamComposition({ subjectGender: subject.gender, subjectBirthDate: subject.birthDate, on: today, members });
      Object.assign(plan, { approved: true, approvedBy: caller.username ?? caller.sub, approvedOn: today });
      await manager.save(plan);
      return { result: plan, entityType: 'CorrectionPlan', entityId: plan.id, details: { subjectId: subject.id, teamSize: members.length } };
    });
  }

  async addTeamMember(caller: Principal, input: AddTeamMemberInput): Promise<TeamMember> {
    return this.onOpenSubject(caller, input.subjectId, 'correction.team.add', async (subject, manager) => {
      const repo = manager.getRepository(TeamMember);
      const member = await repo.save(
        repo.create({
          subjectId: subject.id,
          role: input.role,
          memberName: input.name,
          gender: input.gender,
          versedInMinors: input.versedInMinors,
          phone: input.phone ?? null,
        }),
      );
      return { result: member, entityType: 'TeamMember', entityId: member.id, details: { subjectId: subject.id, role: member.role } };
    });
  }

  /** Ends a membership (kept as history); an approved plan whose team no longer fits loses its approval. */
  async removeTeamMember(caller: Principal, memberId: string): Promise<TeamMember> {
    const member = isUuid(memberId) ? await this.dataSource.getRepository(TeamMember).findOneBy({ id: memberId }) : null;
    if (!member) throw new DomainError(DomainErrorCode.NOT_FOUND, `team member ${memberId} not found / 未找到该成员`);
    return this.onOpenSubject(caller, member.subjectId, 'correction.team.remove', async (subject, manager) => {
      // Issue 12 item 1: the membership ends, the row stays (the history of who was on the team, what they recorded).
      if (member.endedOn) throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the member has already left the team / 该成员已退出矫正小组', { field: 'id' });
      member.endedOn = this.clock.today();
      await manager.save(member);
      const plan = await manager.getRepository(CorrectionPlan).findOneBy({ subjectId: subject.id });
      if (plan?.approved) {
        const rest = await manager.getRepository(TeamMember).find({ where: { subjectId: subject.id, endedOn: IsNull() } });
        try {
          assertTeamComposition({ subjectGender: subject.gender, subjectBirthDate: subject.birthDate, on: this.clock.today(), members: rest });
        } catch {
          Object.assign(plan, { approved: false, approvedBy: null, approvedOn: null });
          await manager.save(plan);
        }
      }
      return { result: member, entityType: 'TeamMember', entityId: member.id, details: { subjectId: subject.id, role: member.role } };
    });
  }

  async plansBySubjectIds(ids: readonly string[]): Promise<Map<string, CorrectionPlan>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(CorrectionPlan).find({ where: { subjectId: In([...ids]) } });
    return new Map(rows.map((p) => [p.subjectId, p]));
  }

  async teamsBySubjectIds(ids: readonly string[]): Promise<Map<string, TeamMember[]>> {
    const out = new Map<string, TeamMember[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(TeamMember).find({ where: { subjectId: In([...ids]), endedOn: IsNull() }, order: { createdAt: 'ASC', id: 'ASC' } });
    for (const row of rows) out.get(row.subjectId)?.push(row);
    return out;
  }

  /** Locks a subject of the caller's towns whose correction has not ended, runs `fn`, audits. */
  private async onOpenSubject<T>(
    caller: Principal,
    subjectId: string,
    action: string,
    fn: (s: CorrectionSubject, m: EntityManager) => Promise<{ result: T; entityType: string; entityId: string; details: Record<string, unknown> }>,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.lockForChange(manager, caller, subjectId);
      if (ENDED.includes(subject.status)) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `correction of this subject has ended (${subject.status}) / 该对象已解除或终止矫正`, {
          field: 'status',
          details: { status: subject.status },
        });
      }
      const out = await fn(subject, manager);
      await this.audit.record(
        { actor: caller, action, entityType: out.entityType, entityId: out.entityId, personKey: subject.personKey, towns: [subject.town], details: out.details },
        manager,
      );
      return out.result;
    });
  }
}

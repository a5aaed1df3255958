import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode, LeaveStatus, Role, MonthlyCompliance, TeamRole, addMonths, compareLocalDate, monthOf, type LocalDate } from '@homeward/domain';
import { AuditWriter, Clock, Page, Principal, auditedTownPage } from '@homeward/platform';
import { AppCallers } from '../app-accounts/app-callers';
import { CheckInsService } from '../check-ins/check-ins.service';
import { CorrectionSubject } from '../subjects/subject.entity';
import { supervisionStart } from '../supervision/supervision.service';
import { TeamVisit, TeamVisitKind } from './team-visit.entity';

/** An obligation of an assigned subject that is overdue, in words the team member reads. */
export interface OverdueObligation {
  kind: 'CHECK_IN' | 'EDUCATION_HOURS' | 'COMMUNITY_SERVICE_HOURS' | 'LEAVE_NOT_RETURNED';
  label: string;
  since: LocalDate;
}

export interface AssignedSubject {
  subject: CorrectionSubject;
  teamRole: TeamRole;
  nextCheckInDue: LocalDate | null;
  overdue: OverdueObligation[];
}

/**
 * CC-21, the team's app (协矫通): a team member (volunteer, grid worker, family …) sees only the
 * subjects whose teams it is an open member of — a name and a summary of their obligations, never
 * an ID number — records visits and observations, and is told what is overdue. The office sees the
 * visits on the subject and in a town list.
 */
@Injectable()
export class TeamAppService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly callers: AppCallers,
    private readonly checkIns: CheckInsService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  async myAssignedSubjects(caller: Principal): Promise<AssignedSubject[]> {
    return this.dataSource.transaction(async (manager) => {
      const memberships = await this.callers.membershipsOf(manager, caller);
      if (memberships.length === 0) return [];
      const subjects = memberships.map((m) => m.subject);
      const today = this.clock.today();
      const lastMonth = monthOf(addMonths(today, -1));
      const [now, before] = await Promise.all([this.checkIns.complianceOf(subjects), this.checkIns.complianceOf(subjects, lastMonth)]);
      const overdueLeaves = (await manager.query(
        `SELECT subject_id, end_date::text AS end FROM correction.leaves
          WHERE subject_id = ANY($1::uuid[]) AND status = $2 AND end_date < $3 AND returned_on IS NULL`,
        [subjects.map((s) => s.id), LeaveStatus.APPROVED, today],
      )) as Array<{ subject_id: string; end: string }>;
      await this.audit.record(
        { actor: caller, action: 'correction.team-app.subjects', entityType: 'CorrectionSubject', personKeys: subjects.map((s) => s.personKey), towns: [...new Set(subjects.map((s) => s.town))], details: { ids: subjects.map((s) => s.id) } },
        manager,
      );
      return memberships.map(({ membership, subject }) => ({
        subject,
        teamRole: membership.role,
        nextCheckInDue: now.get(subject.id)?.nextCheckInDue ?? null,
        overdue: overdueOf(subject, now.get(subject.id), before.get(subject.id), overdueLeaves.filter((l) => l.subject_id === subject.id)),
      }));
    });
  }

  /** CC-21: a visit or observation (time, place, what was seen) by a team member of the subject's team. */
  async recordVisit(caller: Principal, input: { subjectId: string; kind: TeamVisitKind; at: Date; place: string; observation: string }): Promise<TeamVisit> {
    if (input.at.getTime() > this.clock.now().getTime()) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'the visit cannot be in the future / 走访时间不能晚于当前时间', { field: 'at' });
    }
    return this.dataSource.transaction(async (manager) => {
      const { membership, subject } = await this.callers.membershipFor(manager, caller, input.subjectId, 'correction.team-app.visit');
      const visit = manager.getRepository(TeamVisit).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        teamMemberId: membership.id,
        accountId: caller.sub,
        kind: input.kind,
        at: input.at,
        place: input.place,
        observation: input.observation,
      });
      await manager.save(visit);
      await this.audit.record(
        { actor: caller, action: 'correction.team-app.visit', entityType: 'TeamVisit', entityId: visit.id, personKey: subject.personKey, towns: [subject.town], details: { subjectId: subject.id, kind: visit.kind, teamRole: membership.role } },
        manager,
      );
      return visit;
    });
  }

  /** The caller's own visits, newest first (a read of its subjects' records: audited). */
  async myVisits(caller: Principal): Promise<TeamVisit[]> {
    if (!caller.roles.includes(Role.TEAM_MEMBER)) return [];
    const visits = await this.dataSource.getRepository(TeamVisit).find({ where: { accountId: caller.sub }, order: { at: 'DESC' }, take: 50 });
    await this.audit.record({
      actor: caller,
      action: 'correction.team-app.visits',
      entityType: 'TeamVisit',
      personKeys: visits.map((v) => v.personKey),
      towns: [...new Set(visits.map((v) => v.town))],
      details: { ids: visits.map((v) => v.id) },
    });
    return visits;
  }

  /** CC-21: what team members recorded in the caller's towns, newest first ("grid workers' observations reach the officer"). */
  async teamVisits(caller: Principal, filter: { town?: string; subjectId?: string; first: number; after?: string }): Promise<Page<TeamVisit>> {
    return auditedTownPage(this.dataSource, this.audit, caller, TeamVisit, filter, 'correction.team-visits.list', (qb) =>
      filter.subjectId ? qb.andWhere('r.subjectId = :subjectId', { subjectId: filter.subjectId }) : qb,
    );
  }

  /** Visits of one subject the caller has already been allowed to see (the CorrectionSubject field). */
  visitsOfSubject(subjectId: string): Promise<TeamVisit[]> {
    return this.dataSource.getRepository(TeamVisit).find({ where: { subjectId }, order: { at: 'DESC' }, take: 50 });
  }
}

function overdueOf(
  subject: CorrectionSubject,
  now: MonthlyCompliance | undefined,
  lastMonth: MonthlyCompliance | undefined,
  leaves: Array<{ end: string }>,
): OverdueObligation[] {
  const out: OverdueObligation[] = [];
  if (subject.status !== CorrectionStatus.ACTIVE) return out;
  if (now && now.overdueDays > 0) out.push({ kind: 'CHECK_IN', label: `报到已逾期 ${now.overdueDays} 天 / check-in overdue by ${now.overdueDays} days`, since: now.nextCheckInDue });
  // Last month's hours are overdue only if supervision ran the whole month (a first month is not judged).
  if (lastMonth && compareLocalDate(supervisionStart(subject), `${lastMonth.month}-01`) <= 0) {
    const end = addMonths(`${lastMonth.month}-01`, 1);
    if (lastMonth.educationHoursDone < lastMonth.educationHoursDue) {
      out.push({ kind: 'EDUCATION_HOURS', label: `${lastMonth.month} 教育学习未完成（${lastMonth.educationHoursDone}/${lastMonth.educationHoursDue} 小时） / education hours short`, since: end });
    }
    if (lastMonth.communityServiceHoursDone < lastMonth.communityServiceHoursDue) {
      out.push({
        kind: 'COMMUNITY_SERVICE_HOURS',
        label: `${lastMonth.month} 社区服务未完成（${lastMonth.communityServiceHoursDone}/${lastMonth.communityServiceHoursDue} 小时） / community service hours short`,
        since: end,
      });
    }
  }
  for (const l of leaves) out.push({ kind: 'LEAVE_NOT_RETURNED', label: `外出逾期未归（应于 ${l.end} 返回） / not back from leave`, since: l.end });
  return out;
}

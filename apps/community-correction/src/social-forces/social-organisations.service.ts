import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError, DomainErrorCode, Role, compareLocalDate, parseLocalDate } from '@homeward/domain';
import {
  AuditWriter,
  Clock,
  EMPTY_PAGE,
  Page,
  Principal,
  RecordAccess,
  canSeeTown,
  isCaseloadBound,
  isKnownTownCode,
  isUuid,
  keysetPage,
  townFilter,
  townsOf,
} from '@homeward/platform';
import { actorName } from '../subjects/subject-access';
import {
  CorrectionProject,
  OrganisationStaff,
  OrganisationStatus,
  ProjectOutput,
  ProjectOutputKind,
  ProjectStatus,
  SocialOrganisation,
} from './social-forces.entity';

export interface OrganisationDetail {
  organisation: SocialOrganisation;
  staff: OrganisationStaff[];
  projects: CorrectionProject[];
  outputs: ProjectOutput[];
}

const notFound = (id: string) => new DomainError(DomainErrorCode.NOT_FOUND, `social organisation ${id} not found / 未找到该社会组织`, { field: 'organisationId' });

/** True for a caller who sees whole towns (CITY_ADMIN, a TOWN_OFFICER with a town). */
function seesSomeTown(caller: Principal): boolean {
  if (isCaseloadBound(caller)) return false;
  const towns = townsOf(caller);
  return towns === '*' || towns.length > 0;
}

/** CC-22: a town's organisation is read by its town's staff; a city-wide one (town null) by every town's. */
export function mayReadOrganisation(caller: Principal, org: Pick<SocialOrganisation, 'town'> | null | undefined): boolean {
  if (!org) return false;
  return org.town === null ? seesSomeTown(caller) : canSeeTown(caller, org.town);
}

/** CC-22: a town's organisation is changed by its town's staff; a city-wide one by CITY_ADMIN only. */
export function mayChangeOrganisation(caller: Principal, org: Pick<SocialOrganisation, 'town'>): boolean {
  return org.town === null ? caller.roles.includes(Role.CITY_ADMIN) : canSeeTown(caller, org.town);
}

/**
 * CC-22 social organisations (社会组织): registration, staff, the correction projects they take on
 * (政府购买服务) and the outputs recorded against each project. An organisation of a town is seen and
 * changed by that town's staff; a city-wide one (town null) is seen by every town and changed by
 * the city bureau only (docs/decisions.md "Issue 12 items 4, 5").
 */
@Injectable()
export class SocialOrganisationsService {
  /** Only its denial audit and NOT_FOUND are used: the visibility rule is the organisation's own (city-wide rows). */
  private readonly organisations: RecordAccess<SocialOrganisation>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {
    this.organisations = new RecordAccess(audit, { entity: SocialOrganisation, scope: 'town', notFound });
  }

  /** CC-22: an organisation registered for a town, or city-wide (town omitted: CITY_ADMIN only). */
  async register(caller: Principal, input: { town?: string | null; name: string; registrationNo: string }): Promise<SocialOrganisation> {
    const town = input.town ?? null;
    const action = 'correction.social-organisation.register';
    if (town !== null && !isKnownTownCode(town)) throw new DomainError(DomainErrorCode.TOWN_UNKNOWN, `unknown town ${town} / 未知的镇（街道）代码`, { field: 'town' });
    if (town !== null && !canSeeTown(caller, town)) {
      await this.audit.record({ actor: caller, action, entityType: 'SocialOrganisation', towns: [town], outcome: 'DENIED' });
      throw new DomainError(DomainErrorCode.NOT_FOUND, `town ${town} not found / 未找到该镇（街道）`, { field: 'town' });
    }
    if (town === null && !caller.roles.includes(Role.CITY_ADMIN)) {
      await this.audit.record({ actor: caller, action, entityType: 'SocialOrganisation', outcome: 'DENIED', details: { cityWide: true } });
      throw cityOnly();
    }
    const registrationNo = input.registrationNo.trim();
    return this.dataSource.transaction(async (manager) => {
      const taken = await manager.getRepository(SocialOrganisation).findOneBy({ registrationNo });
      if (taken) {
        throw new DomainError(DomainErrorCode.CONFLICT, `an organisation with registration no. ${registrationNo} is already registered / 该登记证号的社会组织已登记`, {
          field: 'registrationNo',
        });
      }
      const org = manager.getRepository(SocialOrganisation).create({ town, name: input.name, registrationNo, status: OrganisationStatus.ACTIVE, recordedBy: actorName(caller) });
      await manager.save(org);
      await this.record(manager, caller, action, 'SocialOrganisation', org.id, town, { registrationNo, cityWide: town === null });
      return org;
    });
  }

  /** CC-22: an organisation stops (INACTIVE: no new psychological services by it, CC-27) or resumes (ACTIVE). */
  async setStatus(caller: Principal, input: { organisationId: string; status: OrganisationStatus }): Promise<SocialOrganisation> {
    const action = 'correction.social-organisation.status';
    return this.dataSource.transaction(async (manager) => {
      const org = await this.forChange(manager, caller, input.organisationId, action);
      if (org.status === input.status) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `the organisation is already ${input.status} / 该社会组织已是该状态`, { field: 'status' });
      }
      org.status = input.status;
      await manager.save(org);
      await this.record(manager, caller, action, 'SocialOrganisation', org.id, org.town, { status: org.status });
      return org;
    });
  }

  /** CC-22: a member of the organisation's staff (name encrypted, role). */
  async addStaff(caller: Principal, input: { organisationId: string; name: string; role: string; joinedOn?: string }): Promise<OrganisationStaff> {
    const joinedOn = this.dateOrToday(input.joinedOn, 'joinedOn');
    const action = 'correction.social-organisation.add-staff';
    return this.dataSource.transaction(async (manager) => {
      const org = await this.forChange(manager, caller, input.organisationId, action);
      const staff = manager.getRepository(OrganisationStaff).create({ organisationId: org.id, name: input.name, role: input.role, joinedOn, leftOn: null, recordedBy: actorName(caller) });
      await manager.save(staff);
      await this.record(manager, caller, action, 'OrganisationStaff', staff.id, org.town, { organisationId: org.id, role: staff.role, joinedOn });
      return staff;
    });
  }

  /** CC-22: a member of staff left; the row stays. */
  async endStaff(caller: Principal, input: { staffId: string; leftOn?: string }): Promise<OrganisationStaff> {
    const leftOn = this.dateOrToday(input.leftOn, 'leftOn');
    const action = 'correction.social-organisation.end-staff';
    return this.dataSource.transaction(async (manager) => {
      const staff = isUuid(input.staffId) ? await manager.getRepository(OrganisationStaff).findOne({ where: { id: input.staffId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!staff) throw new DomainError(DomainErrorCode.NOT_FOUND, `staff member ${input.staffId} not found / 未找到该工作人员`, { field: 'staffId' });
      const org = await this.forChange(manager, caller, staff.organisationId, action, input.staffId);
      if (staff.leftOn !== null) throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the member of staff has already left / 该工作人员已离职', { field: 'staffId' });
      if (compareLocalDate(leftOn, staff.joinedOn) < 0) throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'left before joining / 离职日期早于入职日期', { field: 'leftOn' });
      staff.leftOn = leftOn;
      await manager.save(staff);
      await this.record(manager, caller, action, 'OrganisationStaff', staff.id, org.town, { organisationId: org.id, leftOn });
      return staff;
    });
  }

  /** CC-22: a correction project the organisation takes on (政府购买服务): title, amount in yuan, dates. */
  async contractProject(
    caller: Principal,
    input: { organisationId: string; title: string; contractAmount: number; startDate: string; endDate: string },
  ): Promise<CorrectionProject> {
    const startDate = parseLocalDate(input.startDate, 'startDate');
    const endDate = parseLocalDate(input.endDate, 'endDate');
    if (compareLocalDate(endDate, startDate) < 0) throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'the project ends before it starts / 项目结束日期早于开始日期', { field: 'endDate' });
    if (!(input.contractAmount >= 0) || !Number.isFinite(input.contractAmount) || Math.round(input.contractAmount * 100) !== input.contractAmount * 100) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the contract amount is yuan with at most 2 decimals, not negative / 合同金额（元）不能为负，最多两位小数', { field: 'contractAmount' });
    }
    const action = 'correction.correction-project.contract';
    return this.dataSource.transaction(async (manager) => {
      const org = await this.forChange(manager, caller, input.organisationId, action);
      if (org.status !== OrganisationStatus.ACTIVE) throw inactive(org.id);
      const project = manager.getRepository(CorrectionProject).create({
        organisationId: org.id,
        town: org.town,
        title: input.title,
        contractAmount: input.contractAmount,
        startDate,
        endDate,
        status: ProjectStatus.IN_PROGRESS,
        recordedBy: actorName(caller),
      });
      await manager.save(project);
      await this.record(manager, caller, action, 'CorrectionProject', project.id, org.town, { organisationId: org.id, contractAmount: input.contractAmount, startDate, endDate });
      return project;
    });
  }

  /** CC-22: a project completed (结项) or terminated (终止); from IN_PROGRESS only. */
  async setProjectStatus(caller: Principal, input: { projectId: string; status: ProjectStatus.COMPLETED | ProjectStatus.TERMINATED }): Promise<CorrectionProject> {
    const action = 'correction.correction-project.status';
    return this.dataSource.transaction(async (manager) => {
      const project = await this.projectForChange(manager, caller, input.projectId, action);
      if (project.status !== ProjectStatus.IN_PROGRESS) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `the project is ${project.status}, not in progress / 该项目已结项或终止`, { details: { status: project.status } });
      }
      project.status = input.status;
      await manager.save(project);
      await this.record(manager, caller, action, 'CorrectionProject', project.id, project.town, { status: project.status });
      return project;
    });
  }

  /** CC-22: an output of a project (个案辅导, 小组活动, 讲座 …) on a day within the project's dates. */
  async recordOutput(
    caller: Principal,
    input: { projectId: string; outputOn?: string; kind: ProjectOutputKind; description: string; subjectsServed: number },
  ): Promise<ProjectOutput> {
    const outputOn = this.dateOrToday(input.outputOn, 'outputOn');
    if (!Number.isInteger(input.subjectsServed) || input.subjectsServed < 0) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'subjects served is a count, 0 or more / 服务对象人数应为非负整数', { field: 'subjectsServed' });
    }
    const action = 'correction.correction-project.output';
    return this.dataSource.transaction(async (manager) => {
      const project = await this.projectForChange(manager, caller, input.projectId, action);
      if (project.status === ProjectStatus.TERMINATED) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the project was terminated / 该项目已终止', { details: { status: project.status } });
      }
      if (compareLocalDate(outputOn, project.startDate) < 0 || compareLocalDate(outputOn, project.endDate) > 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `the output is outside the project's dates (${project.startDate} – ${project.endDate}) / 服务日期不在项目期限内`, { field: 'outputOn' });
      }
      const output = manager.getRepository(ProjectOutput).create({
        projectId: project.id,
        outputOn,
        kind: input.kind,
        description: input.description,
        subjectsServed: input.subjectsServed,
        recordedBy: actorName(caller),
      });
      await manager.save(output);
      await this.record(manager, caller, action, 'ProjectOutput', output.id, project.town, { projectId: project.id, kind: output.kind, outputOn, subjectsServed: output.subjectsServed });
      return output;
    });
  }

  /**
   * CC-22: the organisations of the caller's towns and the city-wide ones (with `town`: that town's
   * and the city-wide ones), newest first.
   */
  async list(caller: Principal, filter: { town?: string; status?: OrganisationStatus; first: number; after?: string }): Promise<Page<SocialOrganisation>> {
    const towns = townFilter(caller, filter.town);
    if (towns.length === 0) return EMPTY_PAGE;
    const qb = this.dataSource.getRepository(SocialOrganisation).createQueryBuilder('o').where('(o.town IN (:...towns) OR o.town IS NULL)', { towns });
    if (filter.status) qb.andWhere('o.status = :status', { status: filter.status });
    const page = await keysetPage(qb, 'o', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'correction.social-organisation.list', entityType: 'SocialOrganisation', towns, details: { ids: page.items.map((o) => o.id) } });
    return page;
  }

  /** CC-22: one organisation with its staff, projects and their outputs; NOT_FOUND when not readable. */
  async detail(caller: Principal, id: string): Promise<OrganisationDetail> {
    const manager = this.dataSource.manager;
    const org = await this.forRead(manager, caller, id, 'correction.social-organisation.read');
    const [staff, projects] = await Promise.all([
      manager.getRepository(OrganisationStaff).find({ where: { organisationId: id }, order: { joinedOn: 'ASC', createdAt: 'ASC' } }),
      manager.getRepository(CorrectionProject).find({ where: { organisationId: id }, order: { startDate: 'DESC', createdAt: 'DESC' } }),
    ]);
    const outputs = projects.length
      ? await manager.getRepository(ProjectOutput).find({ where: { projectId: In(projects.map((p) => p.id)) }, order: { outputOn: 'DESC', createdAt: 'DESC' } })
      : [];
    await this.audit.record({ actor: caller, action: 'correction.social-organisation.read', entityType: 'SocialOrganisation', entityId: org.id, towns: org.town ? [org.town] : [] });
    return { organisation: org, staff, projects, outputs };
  }

  /**
   * CC-27: the registered provider of a psychological service for a subject of `town`, inside the
   * caller's transaction: it must exist, be readable by the caller, serve that town (its own or
   * city-wide) and be ACTIVE. Unknown or out of reach: NOT_FOUND (audited); inactive: ILLEGAL_TRANSITION.
   */
  async activeProvider(manager: EntityManager, caller: Principal, providerId: string, town: string, action: string): Promise<SocialOrganisation> {
    const org = isUuid(providerId) ? await manager.getRepository(SocialOrganisation).findOneBy({ id: providerId }) : null;
    if (!org || !mayReadOrganisation(caller, org) || (org.town !== null && org.town !== town)) {
      await this.organisations.recordDenial(caller, providerId, action);
      throw new DomainError(DomainErrorCode.NOT_FOUND, `provider ${providerId} is not a registered social organisation of this town / 未找到该镇（街道）登记的社会组织`, {
        field: 'providerId',
      });
    }
    if (org.status !== OrganisationStatus.ACTIVE) throw inactive(org.id, 'providerId');
    return org;
  }

  /** The organisations of these ids (for display). */
  async byIds(ids: readonly string[]): Promise<Map<string, SocialOrganisation>> {
    const rows = ids.length ? await this.dataSource.getRepository(SocialOrganisation).findBy({ id: In([...new Set(ids)]) }) : [];
    return new Map(rows.map((o) => [o.id, o]));
  }

  private async forRead(manager: EntityManager, caller: Principal, id: string, action: string): Promise<SocialOrganisation> {
    const org = isUuid(id) ? await manager.getRepository(SocialOrganisation).findOneBy({ id }) : null;
    if (mayReadOrganisation(caller, org)) return org!;
    await this.organisations.recordDenial(caller, id, action);
    throw notFound(id);
  }

  /** Locked FOR UPDATE; NOT_FOUND when not readable, FORBIDDEN when readable but not changeable (a city-wide one by a town). */
  private async forChange(manager: EntityManager, caller: Principal, id: string, action: string, auditId = id): Promise<SocialOrganisation> {
    const org = isUuid(id) ? await manager.getRepository(SocialOrganisation).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!org || !mayReadOrganisation(caller, org)) {
      await this.organisations.recordDenial(caller, auditId, action);
      throw notFound(id);
    }
    if (!mayChangeOrganisation(caller, org)) {
      await this.organisations.recordDenial(caller, auditId, action);
      throw cityOnly();
    }
    return org;
  }

  private async projectForChange(manager: EntityManager, caller: Principal, id: string, action: string): Promise<CorrectionProject> {
    const project = isUuid(id) ? await manager.getRepository(CorrectionProject).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!project) throw new DomainError(DomainErrorCode.NOT_FOUND, `project ${id} not found / 未找到该项目`, { field: 'projectId' });
    try {
      await this.forChange(manager, caller, project.organisationId, action, id);
    } catch (e) {
      if (e instanceof DomainError && e.code === DomainErrorCode.NOT_FOUND) throw new DomainError(DomainErrorCode.NOT_FOUND, `project ${id} not found / 未找到该项目`, { field: 'projectId' });
      throw e;
    }
    return project;
  }

  private dateOrToday(value: string | undefined, field: string): string {
    if (!value) return this.clock.today();
    const date = parseLocalDate(value, field);
    if (compareLocalDate(date, this.clock.today()) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, `${field} is in the future / 日期晚于今天`, { field });
    return date;
  }

  private record(manager: EntityManager, caller: Principal, action: string, entityType: string, id: string, town: string | null, details: Record<string, unknown>): Promise<void> {
    return this.audit.record({ actor: caller, action, entityType, entityId: id, towns: town ? [town] : [], details }, manager);
  }
}

function cityOnly(): DomainError {
  return new DomainError(DomainErrorCode.FORBIDDEN, 'a city-wide social organisation is registered and changed by the city bureau only / 全市性社会组织仅由市司法局登记和维护');
}

function inactive(id: string, field = 'organisationId'): DomainError {
  return new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `social organisation ${id} is not active / 该社会组织已停用`, { field, details: { status: OrganisationStatus.INACTIVE } });
}

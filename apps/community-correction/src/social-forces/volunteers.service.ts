import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { DomainError, DomainErrorCode, compareLocalDate, parseLocalDate } from '@homeward/domain';
import { AuditWriter, Clock, EMPTY_PAGE, Page, Principal, RecordAccess, canSeeTown, isKnownTownCode, keysetPage, returnedRows, townFilter } from '@homeward/platform';
import { SubjectAccess, actorName } from '../subjects/subject-access';
import { AssessmentGrade, Volunteer, VolunteerAssessment, VolunteerKind, VolunteerStatus, VolunteerSubjectLink, VolunteerTraining } from './social-forces.entity';

export interface VolunteerDetail {
  volunteer: Volunteer;
  trainings: VolunteerTraining[];
  assessments: VolunteerAssessment[];
  subjects: VolunteerSubjectLink[];
}

/**
 * CC-22 volunteers (志愿者, the "五老" among them): recruitment, trainings, the yearly assessment
 * and the subjects they serve. A volunteer belongs to a town and is seen and changed by that town's
 * staff (town scope: a social worker, who sees persons, not towns, gets nothing).
 */
@Injectable()
export class VolunteersService {
  private readonly volunteers: RecordAccess<Volunteer>;
  private readonly links: RecordAccess<VolunteerSubjectLink>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly subjects: SubjectAccess,
  ) {
    this.volunteers = new RecordAccess(audit, {
      entity: Volunteer,
      scope: 'town',
      notFound: (id) => new DomainError(DomainErrorCode.NOT_FOUND, `volunteer ${id} not found / 未找到该志愿者`, { field: 'volunteerId' }),
    });
    this.links = new RecordAccess(audit, { entity: VolunteerSubjectLink, scope: 'town', what: 'volunteer service' });
  }

  /** CC-22: a volunteer recruited in a town (招募). */
  async recruit(caller: Principal, input: { town: string; name: string; phone?: string | null; kind: VolunteerKind; recruitedOn?: string }): Promise<Volunteer> {
    const recruitedOn = this.dateOrToday(input.recruitedOn, 'recruitedOn');
    await this.requireTown(caller, input.town, 'correction.volunteer.recruit');
    return this.dataSource.transaction(async (manager) => {
      const volunteer = manager.getRepository(Volunteer).create({
        town: input.town,
        name: input.name,
        phone: input.phone ?? null,
        kind: input.kind,
        recruitedOn,
        status: VolunteerStatus.ACTIVE,
        withdrawnOn: null,
        recordedBy: actorName(caller),
      });
      await manager.save(volunteer);
      await this.record(manager, caller, 'correction.volunteer.recruit', 'Volunteer', volunteer.id, volunteer.town, { kind: volunteer.kind, recruitedOn });
      return volunteer;
    });
  }

  /** CC-22: a volunteer withdraws (退出); the subjects they still serve are ended the same day. */
  async withdraw(caller: Principal, input: { volunteerId: string; withdrawnOn?: string }): Promise<Volunteer> {
    const withdrawnOn = this.dateOrToday(input.withdrawnOn, 'withdrawnOn');
    return this.dataSource.transaction(async (manager) => {
      const volunteer = await this.volunteers.forChange(manager, caller, input.volunteerId, 'correction.volunteer.withdraw');
      this.assertActive(volunteer);
      if (compareLocalDate(withdrawnOn, volunteer.recruitedOn) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'withdrawn before being recruited / 退出日期早于招募日期', { field: 'withdrawnOn' });
      }
      volunteer.status = VolunteerStatus.WITHDRAWN;
      volunteer.withdrawnOn = withdrawnOn;
      await manager.save(volunteer);
      const ended = returnedRows<{ id: string }>(
        await manager.query(
          `UPDATE correction.volunteer_subjects SET to_date = GREATEST(from_date, $2::date), ended_by = $3
            WHERE volunteer_id = $1 AND to_date IS NULL RETURNING id`,
          [volunteer.id, withdrawnOn, actorName(caller)],
        ),
      );
      await this.record(manager, caller, 'correction.volunteer.withdraw', 'Volunteer', volunteer.id, volunteer.town, { withdrawnOn, servicesEnded: ended.map((r) => r.id) });
      return volunteer;
    });
  }

  /** CC-22: a training session the volunteer attended (date, topic, hours). */
  async recordTraining(caller: Principal, input: { volunteerId: string; trainedOn: string; topic: string; hours: number }): Promise<VolunteerTraining> {
    const trainedOn = this.dateOrToday(input.trainedOn, 'trainedOn');
    if (!(input.hours > 0 && input.hours <= 100)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'hours must be above 0 and at most 100 / 培训学时应大于0且不超过100', { field: 'hours' });
    }
    return this.dataSource.transaction(async (manager) => {
      const volunteer = await this.volunteers.forChange(manager, caller, input.volunteerId, 'correction.volunteer.training');
      const training = manager.getRepository(VolunteerTraining).create({
        volunteerId: volunteer.id,
        town: volunteer.town,
        trainedOn,
        topic: input.topic,
        hours: input.hours,
        recordedBy: actorName(caller),
      });
      await manager.save(training);
      await this.record(manager, caller, 'correction.volunteer.training', 'VolunteerTraining', training.id, volunteer.town, { volunteerId: volunteer.id, trainedOn, hours: input.hours });
      return training;
    });
  }

  /** CC-22: the yearly assessment (年度考核), one per volunteer per year; a second is refused. */
  async assess(caller: Principal, input: { volunteerId: string; year: number; grade: AssessmentGrade; note?: string | null }): Promise<VolunteerAssessment> {
    const thisYear = Number(this.clock.today().slice(0, 4));
    if (!Number.isInteger(input.year) || input.year < 2000 || input.year > thisYear) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `the year must be ${thisYear} or earlier / 考核年度不能晚于本年度`, { field: 'year' });
    }
    return this.dataSource.transaction(async (manager) => {
      const volunteer = await this.volunteers.forChange(manager, caller, input.volunteerId, 'correction.volunteer.assess');
      if (Number(volunteer.recruitedOn.slice(0, 4)) > input.year) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `the volunteer was recruited after ${input.year} / 该志愿者${input.year}年度尚未招募`, { field: 'year' });
      }
      const existing = await manager.getRepository(VolunteerAssessment).findOneBy({ volunteerId: volunteer.id, year: input.year });
      if (existing) {
        throw new DomainError(DomainErrorCode.CONFLICT, `the volunteer was already assessed for ${input.year} / 该志愿者${input.year}年度已考核`, {
          field: 'year',
          details: { assessmentId: existing.id, grade: existing.grade },
        });
      }
      const assessment = manager.getRepository(VolunteerAssessment).create({
        volunteerId: volunteer.id,
        town: volunteer.town,
        year: input.year,
        grade: input.grade,
        note: input.note ?? '',
        assessedBy: actorName(caller),
      });
      await manager.save(assessment);
      await this.record(manager, caller, 'correction.volunteer.assess', 'VolunteerAssessment', assessment.id, volunteer.town, { volunteerId: volunteer.id, year: input.year, grade: input.grade });
      return assessment;
    });
  }

  /**
   * CC-22: the volunteer starts serving a subject (结对帮教). The subject must be in the volunteer's
   * town and visible to the caller; an active volunteer only; one open link per pair.
   */
  async serveSubject(caller: Principal, input: { volunteerId: string; subjectId: string; fromDate?: string }): Promise<VolunteerSubjectLink> {
    const fromDate = this.dateOrToday(input.fromDate, 'fromDate');
    return this.dataSource.transaction(async (manager) => {
      const volunteer = await this.volunteers.forChange(manager, caller, input.volunteerId, 'correction.volunteer.serve');
      this.assertActive(volunteer);
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.volunteer.serve', { requireActive: true });
      if (subject.town !== volunteer.town) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, "the subject is not in the volunteer's town / 该对象不在志愿者所在镇（街道）", {
          field: 'subjectId',
          details: { volunteerTown: volunteer.town },
        });
      }
      if (compareLocalDate(fromDate, volunteer.recruitedOn) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'the service starts before the volunteer was recruited / 帮教开始日期早于招募日期', { field: 'fromDate' });
      }
      const open = await manager.getRepository(VolunteerSubjectLink).findOneBy({ volunteerId: volunteer.id, subjectId: subject.id, toDate: IsNull() });
      if (open) {
        throw new DomainError(DomainErrorCode.CONFLICT, 'the volunteer already serves this subject / 该志愿者已在帮教该对象', { field: 'subjectId', details: { linkId: open.id } });
      }
      const link = manager.getRepository(VolunteerSubjectLink).create({
        volunteerId: volunteer.id,
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        fromDate,
        toDate: null,
        recordedBy: actorName(caller),
        endedBy: null,
      });
      await manager.save(link);
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.volunteer.serve',
          entityType: 'VolunteerSubjectLink',
          entityId: link.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { volunteerId: volunteer.id, subjectId: subject.id, fromDate },
        },
        manager,
      );
      return link;
    });
  }

  /** CC-22: the volunteer stops serving the subject; the row stays (history). */
  async endService(caller: Principal, input: { linkId: string; toDate?: string }): Promise<VolunteerSubjectLink> {
    const toDate = this.dateOrToday(input.toDate, 'toDate');
    return this.dataSource.transaction(async (manager) => {
      const link = await this.links.forChange(manager, caller, input.linkId, 'correction.volunteer.end-service');
      if (link.toDate !== null) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'this service has already ended / 该帮教关系已结束', { details: { toDate: link.toDate } });
      }
      if (compareLocalDate(toDate, link.fromDate) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'the service ends before it started / 结束日期早于开始日期', { field: 'toDate' });
      }
      link.toDate = toDate;
      link.endedBy = actorName(caller);
      await manager.save(link);
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.volunteer.end-service',
          entityType: 'VolunteerSubjectLink',
          entityId: link.id,
          personKey: link.personKey,
          towns: [link.town],
          details: { volunteerId: link.volunteerId, subjectId: link.subjectId, toDate },
        },
        manager,
      );
      return link;
    });
  }

  /** CC-22: the volunteers of the caller's towns (or of one), newest first. */
  async list(caller: Principal, filter: { town?: string; kind?: VolunteerKind; status?: VolunteerStatus; first: number; after?: string }): Promise<Page<Volunteer>> {
    const towns = townFilter(caller, filter.town);
    if (towns.length === 0) return EMPTY_PAGE;
    const qb = this.dataSource.getRepository(Volunteer).createQueryBuilder('v').where('v.town IN (:...towns)', { towns });
    if (filter.kind) qb.andWhere('v.kind = :kind', { kind: filter.kind });
    if (filter.status) qb.andWhere('v.status = :status', { status: filter.status });
    const page = await keysetPage(qb, 'v', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'correction.volunteer.list', entityType: 'Volunteer', towns, details: { ids: page.items.map((v) => v.id) } });
    return page;
  }

  /** CC-22: one volunteer with its trainings, assessments and the subjects served (history). NOT_FOUND outside the caller's towns. */
  async detail(caller: Principal, id: string): Promise<VolunteerDetail> {
    const manager = this.dataSource.manager;
    const volunteer = await this.volunteers.forRead(manager, caller, id, 'correction.volunteer.read');
    const [trainings, assessments, subjects] = await Promise.all([
      manager.getRepository(VolunteerTraining).find({ where: { volunteerId: id }, order: { trainedOn: 'DESC', createdAt: 'DESC' } }),
      manager.getRepository(VolunteerAssessment).find({ where: { volunteerId: id }, order: { year: 'DESC' } }),
      manager.getRepository(VolunteerSubjectLink).find({ where: { volunteerId: id }, order: { fromDate: 'DESC', createdAt: 'DESC' } }),
    ]);
    await this.audit.record({
      actor: caller,
      action: 'correction.volunteer.read',
      entityType: 'Volunteer',
      entityId: volunteer.id,
      towns: [volunteer.town],
      personKeys: subjects.map((s) => s.personKey),
    });
    return { volunteer, trainings, assessments, subjects };
  }

  private assertActive(volunteer: Volunteer): void {
    if (volunteer.status !== VolunteerStatus.ACTIVE) {
      throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the volunteer has withdrawn / 该志愿者已退出', { field: 'volunteerId', details: { status: volunteer.status } });
    }
  }

  private async requireTown(caller: Principal, town: string, action: string): Promise<void> {
    if (!isKnownTownCode(town)) throw new DomainError(DomainErrorCode.TOWN_UNKNOWN, `unknown town ${town} / 未知的镇（街道）代码`, { field: 'town' });
    if (!canSeeTown(caller, town)) {
      await this.audit.record({ actor: caller, action, entityType: 'Volunteer', towns: [town], outcome: 'DENIED' });
      throw new DomainError(DomainErrorCode.NOT_FOUND, `town ${town} not found / 未找到该镇（街道）`, { field: 'town' });
    }
  }

  private dateOrToday(value: string | undefined, field: string): string {
    if (!value) return this.clock.today();
    const date = parseLocalDate(value, field);
    if (compareLocalDate(date, this.clock.today()) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, `${field} is in the future / 日期晚于今天`, { field });
    return date;
  }

  private record(manager: EntityManager, caller: Principal, action: string, entityType: string, id: string, town: string, details: Record<string, unknown>): Promise<void> {
    return this.audit.record({ actor: caller, action, entityType, entityId: id, towns: [town], details }, manager);
  }
}

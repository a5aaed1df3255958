import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  DomainErrorCode,
  RestorativeAction,
  RestorativeCaseStatus,
  RestorativeQuality,
  assertCanMarkExcellent,
  compareLocalDate,
  nextRestorativeStatus,
  parseLocalDate,
  secondHalfYear,
} from '@homeward/domain';
import { AuditWriter, Clock, EMPTY_PAGE, Principal, keysetPage, townFilter, personScope, whereInScope, RecordAccess } from '@homeward/platform';
import { SubjectAccess } from '../subjects/subject-access';
import { RestorativeCase, RestorativeServiceLog } from './restorative-case.entity';

export interface RestorativeCasesFilter {
  town?: string;
  subjectId?: string;
  status?: RestorativeCaseStatus;
  first: number;
  after?: string;
}

export interface TownExcellence {
  town: string;
  excellentCases: number;
  met: boolean;
}

/** CC-17 restorative justice (损害修复) cases. */
@Injectable()
export class RestorativeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly subjects: SubjectAccess,
  ) {
    this.cases = new RecordAccess(audit, { entity: RestorativeCase, what: 'restorative case' });
  }

  private readonly cases: RecordAccess<RestorativeCase>;

  async open(caller: Principal, input: { subjectId: string; harmDescription: string; openedOn?: string }): Promise<RestorativeCase> {
    const openedOn = input.openedOn ? this.notFuture(parseLocalDate(input.openedOn, 'openedOn'), 'openedOn') : this.clock.today();
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.forChange(manager, caller, input.subjectId, 'correction.restorative.open', { requireActive: true });
      const c = manager.getRepository(RestorativeCase).create({
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        status: RestorativeCaseStatus.OPENED,
        harmDescription: input.harmDescription,
        openedOn,
        serviceHours: 0,
        excellent: false,
      });
      await manager.save(c);
      await this.record(manager, caller, 'correction.restorative.open', c, { subjectId: subject.id, openedOn });
      return c;
    });
  }

  /** CC-17: suitability assessment; unsuitable closes the case. */
  assess(caller: Principal, input: { caseId: string; suitable: boolean; note: string }): Promise<RestorativeCase> {
    return this.step(caller, input.caseId, input.suitable ? RestorativeAction.ASSESS_SUITABLE : RestorativeAction.ASSESS_UNSUITABLE, (c, today, by) => {
      c.assessmentNote = input.note;
      c.assessedOn = today;
      c.assessedBy = by;
    });
  }

  /** CC-17: the victim agrees to take part (or declines, which closes the case). */
  victim(caller: Principal, input: { caseId: string; agrees: boolean; note: string }): Promise<RestorativeCase> {
    return this.step(caller, input.caseId, input.agrees ? RestorativeAction.VICTIM_AGREES : RestorativeAction.VICTIM_DECLINES, (c, today) => {
      c.victimNote = input.note;
      c.victimDecidedOn = today;
    });
  }

  plan(caller: Principal, input: { caseId: string; plan: string }): Promise<RestorativeCase> {
    return this.step(caller, input.caseId, RestorativeAction.RECORD_PLAN, (c, today) => {
      c.plan = input.plan;
      c.plannedOn = today;
    });
  }

  startService(caller: Principal, caseId: string): Promise<RestorativeCase> {
    return this.step(caller, caseId, RestorativeAction.START_SERVICE, (c, today) => {
      c.serviceStartedOn = today;
    });
  }

  /** CC-17: a supervised community-service session; adds to the case's hours. */
  logService(caller: Principal, input: { caseId: string; serviceDate: string; hours: number; note: string }): Promise<RestorativeCase> {
    const serviceDate = this.notFuture(parseLocalDate(input.serviceDate, 'serviceDate'), 'serviceDate');
    return this.step(caller, input.caseId, RestorativeAction.LOG_SERVICE, async (c, _today, by, manager) => {
      if (c.serviceStartedOn && compareLocalDate(serviceDate, c.serviceStartedOn) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'service before the supervision started / 服务日期早于开始监督日期', { field: 'serviceDate' });
      }
      await manager.save(manager.getRepository(RestorativeServiceLog).create({ caseId: c.id, serviceDate, hours: input.hours, note: input.note, supervisedBy: by }));
      c.serviceHours = Math.round((Number(c.serviceHours) + input.hours) * 100) / 100;
    });
  }

  evaluate(caller: Principal, input: { caseId: string; quality: RestorativeQuality; note: string }): Promise<RestorativeCase> {
    return this.step(caller, input.caseId, RestorativeAction.EVALUATE, (c, today, by) => {
      c.quality = input.quality;
      c.evaluationNote = input.note;
      c.evaluatedOn = today;
      c.evaluatedBy = by;
    });
  }

  /** CC-17: the "excellent case" flag (优秀案例), only on an evaluated case graded EXCELLENT, once. */
  markExcellent(caller: Principal, caseId: string): Promise<RestorativeCase> {
    return this.step(caller, caseId, null, (c, today) => {
      if (c.excellent) throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'already an excellent case / 已评为优秀案例');
      assertCanMarkExcellent(c.status, c.quality);
      c.excellent = true;
      c.excellentOn = today;
    });
  }

  async serviceLogs(caseIds: readonly string[]): Promise<Map<string, RestorativeServiceLog[]>> {
    const out = new Map<string, RestorativeServiceLog[]>();
    if (caseIds.length === 0) return out;
    const rows = await this.dataSource
      .getRepository(RestorativeServiceLog)
      .createQueryBuilder('l')
      .where('l.caseId IN (:...ids)', { ids: [...caseIds] })
      .orderBy('l.serviceDate', 'ASC')
      .addOrderBy('l.createdAt', 'ASC')
      .getMany();
    for (const r of rows) out.set(r.caseId, [...(out.get(r.caseId) ?? []), r]);
    return out;
  }

  async list(caller: Principal, filter: RestorativeCasesFilter): Promise<{ items: RestorativeCase[]; totalCount: number; endCursor: string | null; hasNextPage: boolean }> {
    const scope = personScope(caller, filter.town);
    const towns = scope.towns;
    const qb = this.dataSource.getRepository(RestorativeCase).createQueryBuilder('c');
    if (!whereInScope(qb, 'c', scope)) return EMPTY_PAGE;
    if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    if (filter.subjectId) qb.andWhere('c.subjectId = :subjectId', { subjectId: filter.subjectId });
    const page = await keysetPage(qb, 'c', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'correction.restorative.list', entityType: 'RestorativeCase', towns, personKeys: page.items.map((c) => c.personKey), details: { ids: page.items.map((c) => c.id) } });
    return page;
  }

  /** CC-17 target: per town of the caller, the excellent cases (flagged 1 Jul … 31 Dec of `year`) and whether ≥ 1. */
  async excellenceTarget(caller: Principal, year: number, town?: string): Promise<TownExcellence[]> {
    const towns = townFilter(caller, town);
    if (towns.length === 0) return [];
    const { from, to } = secondHalfYear(year);
    const rows: { town: string; n: number }[] = await this.dataSource.query(
      `SELECT town, count(*)::int AS n FROM correction.restorative_cases
        WHERE excellent AND excellent_on BETWEEN $1 AND $2 AND town = ANY($3) GROUP BY town`,
      [from, to, towns],
    );
    const counts = new Map(rows.map((r) => [r.town, r.n]));
    await this.audit.record({ actor: caller, action: 'correction.restorative.excellence-target', entityType: 'RestorativeCase', towns, details: { year } });
    return [...towns].sort().map((t) => ({ town: t, excellentCases: counts.get(t) ?? 0, met: (counts.get(t) ?? 0) >= 1 }));
  }

  private notFuture(date: string, field: string): string {
    if (compareLocalDate(date, this.clock.today()) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, `${field} is in the future / 日期晚于今天`, { field });
    return date;
  }

  /** Loads the case locked and visible, checks the step (null: no status rule), applies, saves, audits. */
  private step(
    caller: Principal,
    caseId: string,
    action: RestorativeAction | null,
    apply: (c: RestorativeCase, today: string, by: string, manager: EntityManager) => void | Promise<void>,
  ): Promise<RestorativeCase> {
    const auditAction = `correction.restorative.${(action ?? 'MARK_EXCELLENT').toLowerCase().replace(/_/g, '-')}`;
    return this.dataSource.transaction(async (manager) => {
      const c = await this.cases.forChange(manager, caller, caseId, auditAction);
      const from = c.status;
      if (action) c.status = nextRestorativeStatus(c.status, action);
      await apply(c, this.clock.today(), caller.username ?? caller.sub, manager);
      await manager.save(c);
      await this.record(manager, caller, auditAction, c, { from, to: c.status });
      return c;
    });
  }

  private record(manager: EntityManager, caller: Principal, action: string, c: RestorativeCase, details: Record<string, unknown>): Promise<void> {
    return this.audit.record({ actor: caller, action, entityType: 'RestorativeCase', entityId: c.id, personKey: c.personKey, towns: [c.town], details }, manager);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, IsNull } from 'typeorm';
import { AftercareCaseStatus, CommunityRehabEndReason, DomainError, DomainErrorCode, addDays, addMonths, isAfter, isBefore } from '@homeward/domain';
import { AuditWriter, Clock, Principal, inTransaction, townFilter } from '@homeward/platform';
import { AftercareCase } from '../cases/aftercare-case.entity';
import { AftercareCasesService } from '../cases/aftercare-cases.service';
import { AftercareConfig } from '../config';
import { CommunityRehabPeriod } from './community-rehab-period.entity';

export interface StartCommunityRehabCommand {
  caseId: string;
  startDate: string;
  decisionNo: string;
  months: number;
}

export interface EndCommunityRehabCommand {
  caseId: string;
  endedOn: string;
  reason: CommunityRehabEndReason;
}

/** The planned end of a period of `months` from `start`: the day before the same day `months` later. */
export const plannedEndOf = (start: string, months: number): string => addDays(addMonths(start, months), -1);

/**
 * AC-5: community rehabilitation (社区康复, at most 36 months, cfg) tracked on an aftercare case.
 * The case is reached through the station's access path (`AftercareCasesService.forChange`: the
 * caller's towns, NOT_FOUND audited otherwise); every change is audited; bad input stores nothing.
 */
@Injectable()
export class CommunityRehabService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: AftercareCasesService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(AftercareConfig) private readonly config: AftercareConfig,
  ) {}

  async start(caller: Principal, cmd: StartCommunityRehabCommand): Promise<CommunityRehabPeriod> {
    const max = this.config.AFTERCARE_COMMUNITY_REHAB_MAX_MONTHS;
    if (!Number.isInteger(cmd.months) || cmd.months < 1 || cmd.months > max) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `months must be 1 … ${max} / 社区康复期限应为1至${max}个月`, { field: 'months', details: { max } });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.cases.forChange(manager, caller, cmd.caseId, 'aftercare.community-rehab.start');
      if (kase.status === AftercareCaseStatus.CLOSED) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the case is closed / 该对象已解除后续照管', { field: 'caseId' });
      }
      if (isBefore(cmd.startDate, kase.releaseDate)) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `startDate is before the release (${kase.releaseDate}) / 社区康复开始日期早于解戒日期`, { field: 'startDate' });
      }
      const open = await manager.getRepository(CommunityRehabPeriod).findOne({ where: { caseId: kase.id, endedOn: IsNull() } });
      if (open) {
        throw new DomainError(DomainErrorCode.CONFLICT, `a community rehabilitation is open since ${open.startDate} / 该对象已在社区康复中`, { field: 'caseId', details: { openPeriodId: open.id } });
      }
      const row = await manager.save(
        manager.getRepository(CommunityRehabPeriod).create({
          caseId: kase.id,
          personKey: kase.personKey,
          town: kase.town as string,
          startDate: cmd.startDate,
          decisionNo: cmd.decisionNo.trim(),
          months: cmd.months,
          plannedEnd: plannedEndOf(cmd.startDate, cmd.months),
          endedOn: null,
          endReason: null,
          recordedBy: caller.username ?? caller.sub,
        }),
      );
      if (!kase.communityRehabilitation) {
        kase.communityRehabilitation = true;
        await manager.save(kase);
      }
      await this.audit.record(
        {
          actor: caller,
          action: 'aftercare.community-rehab.start',
          entityType: 'AftercareCase',
          entityId: kase.id,
          personKey: kase.personKey,
          towns: [kase.town as string],
          details: { periodId: row.id, startDate: row.startDate, months: row.months, plannedEnd: row.plannedEnd },
        },
        manager,
      );
      return row;
    });
  }

  async end(caller: Principal, cmd: EndCommunityRehabCommand): Promise<CommunityRehabPeriod> {
    if (!Object.values(CommunityRehabEndReason).includes(cmd.reason)) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `reason must be one of ${Object.values(CommunityRehabEndReason).join(', ')} / 结束原因无效`, { field: 'reason' });
    }
    if (isAfter(cmd.endedOn, this.clock.today())) {
      throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'endedOn is in the future / 结束日期不能晚于今天', { field: 'endedOn' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.cases.forChange(manager, caller, cmd.caseId, 'aftercare.community-rehab.end');
      const open = await manager.getRepository(CommunityRehabPeriod).findOne({ where: { caseId: kase.id, endedOn: IsNull() } });
      if (!open) throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'no community rehabilitation is open / 该对象无进行中的社区康复', { field: 'caseId' });
      if (isBefore(cmd.endedOn, open.startDate)) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, `endedOn is before the start (${open.startDate}) / 结束日期早于社区康复开始日期`, { field: 'endedOn' });
      }
      open.endedOn = cmd.endedOn;
      open.endReason = cmd.reason;
      await manager.save(open);
      await this.audit.record(
        {
          actor: caller,
          action: 'aftercare.community-rehab.end',
          entityType: 'AftercareCase',
          entityId: kase.id,
          personKey: kase.personKey,
          towns: [kase.town as string],
          details: { periodId: open.id, endedOn: cmd.endedOn, reason: cmd.reason },
        },
        manager,
      );
      return open;
    });
  }

  /** The case page: the periods of each case, oldest first (the case read is the audited one). */
  async periodsByCaseIds(ids: readonly string[]): Promise<Map<string, CommunityRehabPeriod[]>> {
    const out = new Map<string, CommunityRehabPeriod[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await this.dataSource.getRepository(CommunityRehabPeriod).find({ where: { caseId: In([...ids]) }, order: { startDate: 'ASC', createdAt: 'ASC' } });
    for (const r of rows) out.get(r.caseId)?.push(r);
    return out;
  }

  /**
   * The station's list: open periods of the caller's towns whose planned end is within `withinDays`
   * of today (those already past it included), the soonest first; audited as one list read.
   */
  async ending(caller: Principal, withinDays: number, town?: string | null): Promise<Array<{ period: CommunityRehabPeriod; kase: AftercareCase }>> {
    const towns = townFilter(caller, town ?? null);
    if (towns.length === 0) return [];
    const until = addDays(this.clock.today(), withinDays);
    const periods = await this.dataSource
      .getRepository(CommunityRehabPeriod)
      .createQueryBuilder('p')
      .where('p.town IN (:...towns)', { towns })
      .andWhere('p.endedOn IS NULL')
      .andWhere('p.plannedEnd <= :until', { until })
      .orderBy('p.plannedEnd', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .take(500)
      .getMany();
    const cases = periods.length ? await this.dataSource.getRepository(AftercareCase).find({ where: { id: In(periods.map((p) => p.caseId)) } }) : [];
    const byId = new Map(cases.map((c) => [c.id, c]));
    await this.audit.record({
      actor: caller,
      action: 'aftercare.case.list',
      entityType: 'AftercareCase',
      towns: [...new Set(periods.map((p) => p.town))],
      personKeys: periods.map((p) => p.personKey),
      details: { list: 'community-rehab-ending', count: periods.length, withinDays, until },
    });
    return periods.filter((p) => byId.has(p.caseId)).map((period) => ({ period, kase: byId.get(period.caseId) as AftercareCase }));
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode, EmploymentServiceKind, ResettlementStatus, WelfareKind, compareLocalDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal, assertTownVisible, inTransaction, isUuid } from '@homeward/platform';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { EmploymentService, WelfareReferral, WelfareReferralStatus } from './welfare.entity';
import { rowsBy } from '../cases/rows-by';

const DECISIONS: Record<WelfareReferralStatus, readonly WelfareReferralStatus[]> = {
  REFERRED: ['GRANTED', 'REFUSED'],
  GRANTED: ['ENDED'],
  REFUSED: [],
  ENDED: [],
};

/** RS-7: welfare referrals with their status, employment services, and the resettlement status of a case. */
@Injectable()
export class WelfareService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  /** The case page: the welfare referrals of each case (a DataLoader batch). */
  referralsByCaseIds(caseIds: readonly string[]): Promise<Map<string, WelfareReferral[]>> {
    return rowsBy(this.dataSource, WelfareReferral, 'caseId', caseIds);
  }

  /** The case page: the employment services of each case (a DataLoader batch). */
  employmentByCaseIds(caseIds: readonly string[]): Promise<Map<string, EmploymentService[]>> {
    return rowsBy(this.dataSource, EmploymentService, 'caseId', caseIds);
  }


  async refer(caller: Principal, caseId: string, kind: WelfareKind, note?: string | null): Promise<WelfareReferral> {
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.caseOf(manager, caller, caseId);
      const r = await manager.save(
        manager.getRepository(WelfareReferral).create({
          caseId: kase.id,
          personKey: kase.personKey,
          town: kase.town,
          kind,
          status: 'REFERRED',
          referredOn: this.clock.today(),
          decidedOn: null,
          note: note ?? null,
          recordedBy: caller.sub,
        }),
      );
      await this.audit.record({ actor: caller, action: 'resettlement.welfare.refer', entityType: 'WelfareReferral', entityId: r.id, personKey: r.personKey, towns: [r.town], details: { kind } }, manager);
      await this.events.publish(manager, 'resettlement.welfare.referred', { referralId: r.id, caseId: r.caseId, personKey: r.personKey, town: r.town, welfareKind: r.kind, referredOn: r.referredOn });
      return r;
    });
  }

  /** REFERRED → GRANTED | REFUSED, GRANTED → ENDED. */
  async decide(caller: Principal, referralId: string, to: WelfareReferralStatus, note?: string | null): Promise<WelfareReferral> {
    return inTransaction(this.dataSource, async (manager) => {
      const r = isUuid(referralId) ? await manager.getRepository(WelfareReferral).findOne({ where: { id: referralId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!r) throw notFound('referral / 救助转介');
      assertTownVisible(caller, r.town, 'referral');
      if (!DECISIONS[r.status].includes(to)) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `a ${r.status} referral cannot become ${to} / 救助转介状态不能如此变更`, { field: 'status', details: { allowed: DECISIONS[r.status] } });
      }
      r.status = to;
      r.decidedOn = this.clock.today();
      if (note) r.note = note;
      await manager.save(r);
      await this.audit.record({ actor: caller, action: 'resettlement.welfare.decide', entityType: 'WelfareReferral', entityId: r.id, personKey: r.personKey, towns: [r.town], details: { status: to } }, manager);
      return r;
    });
  }

  async recordEmploymentService(caller: Principal, caseId: string, kind: EmploymentServiceKind, providedOn: string, note?: string | null): Promise<EmploymentService> {
    if (compareLocalDate(providedOn, this.clock.today()) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, 'providedOn cannot be in the future / 服务日期不能晚于今天', { field: 'providedOn' });
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.caseOf(manager, caller, caseId);
      if (compareLocalDate(providedOn, kase.startDate) < 0) throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'before the assistance began / 早于帮教开始日期', { field: 'providedOn' });
      const e = await manager.save(
        manager.getRepository(EmploymentService).create({ caseId: kase.id, personKey: kase.personKey, town: kase.town, kind, providedOn, note: note ?? null, recordedBy: caller.sub }),
      );
      await this.audit.record({ actor: caller, action: 'resettlement.employment.record', entityType: 'EmploymentService', entityId: e.id, personKey: e.personKey, towns: [e.town], details: { kind } }, manager);
      return e;
    });
  }

  async setResettlementStatus(caller: Principal, caseId: string, status: ResettlementStatus, since: string): Promise<AssistanceCase> {
    if (compareLocalDate(since, this.clock.today()) > 0) throw new DomainError(DomainErrorCode.DATE_INVALID, 'since cannot be in the future / 日期不能晚于今天', { field: 'since' });
    return inTransaction(this.dataSource, async (manager) => {
      const kase = await this.caseOf(manager, caller, caseId, true);
      const before = kase.resettlementStatus;
      kase.resettlementStatus = status;
      kase.resettlementStatusSince = since;
      await manager.save(kase);
      await this.audit.record(
        { actor: caller, action: 'resettlement.case.set-status', entityType: 'AssistanceCase', entityId: kase.id, personKey: kase.personKey, towns: [kase.town], details: { from: before, to: status } },
        manager,
      );
      return kase;
    });
  }

  private async caseOf(manager: EntityManager, caller: Principal, caseId: string, lock = false): Promise<AssistanceCase> {
    const kase = isUuid(caseId) ? await manager.getRepository(AssistanceCase).findOne({ where: { id: caseId }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) }) : null;
    if (!kase) throw notFound('assistance case / 帮教对象');
    assertTownVisible(caller, kase.town, 'assistance case');
    return kase;
  }
}

function notFound(what: string): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, `${what} not found / 未找到`);
}

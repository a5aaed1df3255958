import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, QueryFailedError } from 'typeorm';
import { BaseKind, DomainError, DomainErrorCode, FundMovementKind, Role, balanceAfter, compareLocalDate, requireTown } from '@homeward/domain';
import { AuditWriter, Clock, Principal, assertTownVisible, inTransaction, isUuid } from '@homeward/platform';
import { AssistanceCase } from '../cases/assistance-case.entity';
import { BasePlacement, Fund, FundMovement, ResettlementBase } from './fund.entity';
import { rowsBy } from '../cases/rows-by';

export interface FundMovementCommand {
  fundId: string;
  amountFen: number;
  /** The donor (donation) or the person / family receiving (grant). */
  counterparty: string;
  purpose: string;
  /** A grant to an assistance subject: their case. */
  caseId?: string | null;
}

/**
 * RS-11 resettlement bases (capacity and placements) and the sunshine assistance fund: donations in,
 * grants out, each under a row lock on the fund, so concurrent grants never take the balance below
 * zero (the CHECK on `funds.balance_fen` is the last line).
 */
@Injectable()
export class FundService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  /** The case page: the base placements of each case (a DataLoader batch). */
  placementsByCaseIds(caseIds: readonly string[]): Promise<Map<string, BasePlacement[]>> {
    return rowsBy(this.dataSource, BasePlacement, 'caseId', caseIds);
  }


  /** A fund of the city (no town: CITY_ADMIN) or of a town (its officers). */
  async createFund(caller: Principal, name: string, townCode: string | null): Promise<Fund> {
    const town = townCode ? requireTown(townCode, this.clock.today(), 'town').code : null;
    this.assertManages(caller, town);
    return inTransaction(this.dataSource, async (manager) => {
      const fund = manager.getRepository(Fund).create({ name: name.trim(), town, balanceFen: 0 });
      try {
        await manager.save(fund);
      } catch (e) {
        if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
          throw new DomainError(DomainErrorCode.CONFLICT, 'a fund of that name exists / 已有同名基金', { field: 'name' });
        }
        throw e;
      }
      await this.audit.record({ actor: caller, action: 'resettlement.fund.create', entityType: 'Fund', entityId: fund.id, towns: town ? [town] : [] }, manager);
      return fund;
    });
  }

  donate(caller: Principal, cmd: FundMovementCommand): Promise<FundMovement> {
    return this.move(caller, FundMovementKind.DONATION, cmd);
  }

  grant(caller: Principal, cmd: FundMovementCommand): Promise<FundMovement> {
    return this.move(caller, FundMovementKind.GRANT, cmd);
  }

  async balance(caller: Principal, fundId: string): Promise<Fund> {
    const fund = isUuid(fundId) ? await this.dataSource.getRepository(Fund).findOneBy({ id: fundId }) : null;
    if (!fund || !this.manages(caller, fund.town)) throw notFound('fund / 基金');
    return fund;
  }

  async addBase(caller: Principal, townCode: string, name: string, kind: BaseKind, capacity: number): Promise<ResettlementBase> {
    const town = requireTown(townCode, this.clock.today(), 'town').code;
    assertTownVisible(caller, town, 'town');
    if (!Number.isInteger(capacity) || capacity < 1) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'capacity must be at least 1 / 容量至少为1', { field: 'capacity' });
    return inTransaction(this.dataSource, async (manager) => {
      const base = await manager.save(manager.getRepository(ResettlementBase).create({ town, name: name.trim(), kind, capacity }));
      await this.audit.record({ actor: caller, action: 'resettlement.base.add', entityType: 'ResettlementBase', entityId: base.id, towns: [town] }, manager);
      return base;
    });
  }

  /** RS-11: a placement at a base, refused when the base is full (counted under a lock on the base). */
  async place(caller: Principal, baseId: string, caseId: string, startedOn: string): Promise<BasePlacement> {
    return inTransaction(this.dataSource, async (manager) => {
      const base = isUuid(baseId) ? await manager.getRepository(ResettlementBase).findOne({ where: { id: baseId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!base) throw notFound('base / 安置基地');
      assertTownVisible(caller, base.town, 'base');
      const kase = await this.caseOf(manager, caller, caseId);
      const occupied = await manager.getRepository(BasePlacement).countBy({ baseId: base.id, endedOn: IsNull() });
      if (occupied >= base.capacity) throw new DomainError(DomainErrorCode.CONFLICT, `the base is full (${base.capacity}) / 该安置基地已满`, { field: 'baseId' });
      if (compareLocalDate(startedOn, kase.startDate) < 0) {
        throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'a placement cannot start before the assistance / 安置日期不能早于帮教开始日期', { field: 'startedOn' });
      }
      let placement: BasePlacement;
      try {
        placement = await manager.save(manager.getRepository(BasePlacement).create({ baseId: base.id, caseId: kase.id, personKey: kase.personKey, startedOn, endedOn: null }));
      } catch (e) {
        if (e instanceof QueryFailedError && (e.driverError as { code?: string }).code === '23505') {
          throw new DomainError(DomainErrorCode.CONFLICT, 'the person is already placed at a base / 该人员已在安置基地', { field: 'caseId' });
        }
        throw e;
      }
      await this.audit.record(
        { actor: caller, action: 'resettlement.base.place', entityType: 'BasePlacement', entityId: placement.id, personKey: kase.personKey, towns: [base.town] },
        manager,
      );
      return placement;
    });
  }

  private async move(caller: Principal, kind: FundMovementKind, cmd: FundMovementCommand): Promise<FundMovement> {
    if (!cmd.counterparty.trim() || !cmd.purpose.trim()) {
      throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'counterparty and purpose are required / 须填写对象和用途', { field: 'purpose' });
    }
    return inTransaction(this.dataSource, async (manager) => {
      const fund = isUuid(cmd.fundId) ? await manager.getRepository(Fund).findOne({ where: { id: cmd.fundId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!fund || !this.manages(caller, fund.town)) throw notFound('fund / 基金');
      const kase = cmd.caseId ? await this.caseOf(manager, caller, cmd.caseId) : null;
      const after = balanceAfter(fund.balanceFen, kind, cmd.amountFen);
      await manager.update(Fund, { id: fund.id }, { balanceFen: after });
      const movement = await manager.save(
        manager.getRepository(FundMovement).create({
          fundId: fund.id,
          kind,
          amountFen: cmd.amountFen,
          balanceAfterFen: after,
          counterparty: cmd.counterparty,
          purpose: cmd.purpose,
          personKey: kase?.personKey ?? null,
          town: kase?.town ?? fund.town,
          recordedBy: caller.sub,
        }),
      );
      await this.audit.record(
        {
          actor: caller,
          action: kind === FundMovementKind.GRANT ? 'resettlement.fund.grant' : 'resettlement.fund.donate',
          entityType: 'FundMovement',
          entityId: movement.id,
          personKey: kase?.personKey,
          towns: fund.town ? [fund.town] : [],
          details: { fundId: fund.id, amountFen: cmd.amountFen, balanceAfterFen: after },
        },
        manager,
      );
      return movement;
    });
  }

  private async caseOf(manager: EntityManager, caller: Principal, caseId: string): Promise<AssistanceCase> {
    const kase = isUuid(caseId) ? await manager.getRepository(AssistanceCase).findOneBy({ id: caseId }) : null;
    if (!kase) throw notFound('assistance case / 帮教对象');
    assertTownVisible(caller, kase.town, 'assistance case');
    return kase;
  }

  private manages(caller: Principal, town: string | null): boolean {
    if (town === null) return caller.roles.includes(Role.CITY_ADMIN);
    try {
      assertTownVisible(caller, town);
      return true;
    } catch {
      return false;
    }
  }

  private assertManages(caller: Principal, town: string | null): void {
    if (!this.manages(caller, town)) throw notFound('town / 镇街');
  }
}

function notFound(what: string): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, `${what} not found / 未找到`);
}

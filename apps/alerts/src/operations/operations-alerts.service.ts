import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { AlertState, DomainError, DomainErrorCode } from '@homeward/domain';
import { AuditWriter, Clock, Principal, keysetPage } from '@homeward/platform';
import { Alert } from '../alerts/alert.entity';

export interface OperationsAlertFilter {
  state?: AlertState;
  first: number;
  after?: string;
}

/**
 * AL-7 operations alerts: an alert with no town and no person (a dead-lettered event, a failing
 * integration). Only SYSTEM_ADMIN reaches them (the resolver's role); town staff never do, because
 * every town query filters by town and a null town is in no one's towns. Reads and changes are audited.
 */
@Injectable()
export class OperationsAlertsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  async list(caller: Principal, filter: OperationsAlertFilter): Promise<{ items: Alert[]; totalCount: number; hasNextPage: boolean }> {
    const qb = this.dataSource.getRepository(Alert).createQueryBuilder('a').where('a.town IS NULL').andWhere('a.personKey IS NULL');
    if (filter.state) qb.andWhere('a.state = :state', { state: filter.state });
    const page = await keysetPage(qb, 'a', { first: filter.first, after: filter.after });
    await this.audit.record({ actor: caller, action: 'alerts.operations-alert.list', entityType: 'Alert', towns: [], details: { ids: page.items.map((a) => a.id) } });
    return page;
  }

  async acknowledge(caller: Principal, id: string): Promise<Alert> {
    return this.transition(caller, id, 'alerts.operations-alert.acknowledge', (alert, now) => {
      if (alert.state !== AlertState.OPEN && alert.state !== AlertState.ESCALATED) throw illegal(alert, 'acknowledge');
      alert.state = AlertState.ACKNOWLEDGED;
      alert.acknowledgedAt = now;
      alert.acknowledgedBy = caller.username ?? caller.sub;
    });
  }

  async resolve(caller: Principal, id: string, note: string): Promise<Alert> {
    return this.transition(caller, id, 'alerts.operations-alert.resolve', (alert, now) => {
      if (alert.state === AlertState.RESOLVED) throw illegal(alert, 'resolve');
      alert.state = AlertState.RESOLVED;
      alert.resolvedAt = now;
      alert.resolvedBy = caller.username ?? caller.sub;
      alert.note = note;
    });
  }

  private async transition(caller: Principal, id: string, action: string, change: (a: Alert, now: Date) => void): Promise<Alert> {
    return this.dataSource.transaction(async (manager) => {
      const alert = await manager
        .getRepository(Alert)
        .findOne({ where: { id, town: IsNull(), personKey: IsNull() }, lock: { mode: 'pessimistic_write' } })
        .catch(() => null); // a malformed uuid is "not found", like any other id
      if (!alert) throw new DomainError(DomainErrorCode.NOT_FOUND, `operations alert ${id} not found / 未找到该运维预警`, { field: 'id' });
      change(alert, this.clock.now());
      await manager.save(alert);
      await this.audit.record({ actor: caller, action, entityType: 'Alert', entityId: alert.id, towns: [], details: { rule: alert.rule, state: alert.state } }, manager);
      return alert;
    });
  }
}

function illegal(alert: Alert, what: string): DomainError {
  return new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `cannot ${what} an alert that is ${alert.state} / 当前状态不允许此操作`, {
    details: { state: alert.state },
  });
}

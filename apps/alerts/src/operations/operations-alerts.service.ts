import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { EventPublisher } from '@homeward/bus';
import { AlertState, DomainError, DomainErrorCode, SERVICE_NAMES, type ServiceName } from '@homeward/domain';
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
    private readonly publisher: EventPublisher,
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

  /**
   * AL-7 retry: asks the service that holds the dead letter behind this alert to replay it
   * (`bus.dead-letter.retry-requested`, published in the same transaction); an OPEN or ESCALATED alert becomes
   * ACKNOWLEDGED (someone is on it). The alert stays until resolved with a note, once the effect is checked.
   */
  async retry(caller: Principal, id: string): Promise<Alert> {
    return this.transition(caller, id, 'alerts.operations-alert.retry', async (alert, now, manager) => {
      if (alert.rule !== 'BUS.DEAD_LETTER') {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `only a dead-lettered event can be retried / 仅死信事件可重放`, { field: 'id', details: { rule: alert.rule } });
      }
      if (alert.state === AlertState.RESOLVED) throw illegal(alert, 'retry');
      const [service, eventId, ...handler] = alert.recordId.split(':');
      if (!isServiceName(service)) throw new DomainError(DomainErrorCode.VALIDATION_FAILED, `unknown service ${service} / 未知服务`, { field: 'id' });
      await this.publisher.publish(manager, 'bus.dead-letter.retry-requested', { service, eventId, handler: handler.join(':'), alertId: alert.id, requestedBy: caller.username ?? caller.sub });
      if (alert.state === AlertState.OPEN || alert.state === AlertState.ESCALATED) {
        alert.state = AlertState.ACKNOWLEDGED;
        alert.acknowledgedAt = now;
        alert.acknowledgedBy = caller.username ?? caller.sub;
      }
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

  private async transition(caller: Principal, id: string, action: string, change: (a: Alert, now: Date, manager: EntityManager) => void | Promise<void>): Promise<Alert> {
    return this.dataSource.transaction(async (manager) => {
      const alert = await manager
        .getRepository(Alert)
        .findOne({ where: { id, town: IsNull(), personKey: IsNull() }, lock: { mode: 'pessimistic_write' } })
        .catch(() => null); // a malformed uuid is "not found", like any other id
      if (!alert) throw new DomainError(DomainErrorCode.NOT_FOUND, `operations alert ${id} not found / 未找到该运维预警`, { field: 'id' });
      await change(alert, this.clock.now(), manager);
      await manager.save(alert);
      await this.audit.record({ actor: caller, action, entityType: 'Alert', entityId: alert.id, towns: [], details: { rule: alert.rule, state: alert.state } }, manager);
      return alert;
    });
  }
}

function isServiceName(s: string): s is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(s);
}

function illegal(alert: Alert, what: string): DomainError {
  return new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `cannot ${what} an alert that is ${alert.state} / 当前状态不允许此操作`, {
    details: { state: alert.state },
  });
}

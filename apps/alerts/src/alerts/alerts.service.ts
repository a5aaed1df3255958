import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AlertState, DomainError, LocalDate, DomainErrorCode, EventEnvelope, RiskColour, maxColour, raiseColour } from '@homeward/domain';
import { EventPublisher, OnEvent } from '@homeward/bus';
import {
  AuditWriter,
  Clock,
  keysetPage,
  Principal,
  rowsByPersonKeyInTowns,
  personScope,
  returnedRows,
  whereInScope,
  RecordAccess,
} from '@homeward/platform';
import { AlertsConfig } from '../config';
import { Alert } from './alert.entity';
import { responseDueBy } from './response-time';
import { ruleOf } from '../rules/rule-catalogue';
import { KeyPersonSource, PeriodsService } from '../periods/periods.service';
import { LiveFeedPublisher } from '../live/live-feed.publisher';

export interface RaiseAlert {
  rule: string;
  personKey: string | null;
  town: string | null;
  recordType: string;
  recordId: string;
  colour?: RiskColour;
  details?: Record<string, unknown>;
  /**
   * AL-4: the Shanghai day whose sensitive period counts (default today). A due-date rule about a day
   * (the daily check-in of a key person) is found the morning after: the day it is about counts.
   */
  periodDay?: LocalDate;
}

export interface AlertListFilter {
  town?: string;
  state?: AlertState;
  first: number;
  after?: string;
}

const NOT_RESOLVED = [AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.ESCALATED];

@Injectable()
export class AlertsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(AlertsConfig) private readonly config: AlertsConfig,
    private readonly periods: PeriodsService,
    private readonly live: LiveFeedPublisher,
  ) {
    this.alerts = new RecordAccess(audit, {
      entity: Alert,
      notFound: (id) => new DomainError(DomainErrorCode.NOT_FOUND, `alert ${id} not found / 未找到该预警`),
      deniedBy: 'interceptor',
    });
  }

  /** AL-1: an alert is seen by the person's town (a social worker: its assigned persons); denials are audited as request.denied. */
  private readonly alerts: RecordAccess<Alert>;

  /**
   * Raises an alert in the caller's transaction unless one for the same (rule, record) is still
   * not resolved (AL-1). Returns the new alert, or null when one was already open.
   */
  /** CC-25: correction's organised-crime flag of a person, as alerts last heard it. */
  @OnEvent('correction.subject.organised-crime-flag')
  async onOrganisedCrimeFlag(event: EventEnvelope<'correction.subject.organised-crime-flag'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await manager.query(
      `INSERT INTO alerts.person_flags (person_key, organised_crime, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (person_key) DO UPDATE SET organised_crime = EXCLUDED.organised_crime, updated_at = now()`,
      [p.personKey, p.flagged],
    );
  }

  /** AL-4: the key-person flag an event carried (resettlement notices and releases, correction location breaches). */
  async noteKeyPerson(manager: EntityManager, personKey: string, keyPerson: boolean, source: KeyPersonSource, town: string | null = null): Promise<void> {
    await this.periods.noteKeyPerson(manager, personKey, keyPerson, source, town);
  }

  private async organisedCrime(manager: EntityManager, personKey: string | null): Promise<boolean> {
    if (!personKey) return false;
    const rows: Array<{ organised_crime: boolean }> = await manager.query(`SELECT organised_crime FROM alerts.person_flags WHERE person_key = $1`, [personKey]);
    return rows[0]?.organised_crime === true;
  }

  /**
   * Resolves the open alert of (rule, record) because the condition it reported was made good (a
   * pick-up recorded after the RED alert), with a system note staff read. Returns how many it resolved.
   */
  async settleOpen(manager: EntityManager, ref: { rule: string; recordType: string; recordId: string }, note: string): Promise<number> {
    const rows = returnedRows<{ id: string; person_key: string | null; town: string | null }>(await manager.query(
      `UPDATE alerts.alerts SET state = 'RESOLVED', resolved_at = $4, resolved_by = 'system:condition-met', note = $5, version = version + 1
        WHERE rule = $1 AND record_type = $2 AND record_id = $3 AND state <> 'RESOLVED'
        RETURNING id, person_key, town`,
      [ref.rule, ref.recordType, ref.recordId, this.clock.now(), note],
    ));
    for (const r of rows) {
      await this.audit.record(
        { actor: { system: 'alerts' }, action: 'alerts.alert.settle', entityType: 'Alert', entityId: r.id, personKey: r.person_key ?? undefined, towns: r.town ? [r.town] : [], details: { rule: ref.rule } },
        manager,
      );
    }
    return rows.length;
  }

  async raise(manager: EntityManager, input: RaiseAlert): Promise<Alert | null> {
    const rule = ruleOf(input.rule);
    if (!rule) throw new Error(`unknown alert rule ${input.rule}`);
    // AL-4: during a sensitive period covering the town, every alert about a key person is one colour higher.
    const period = (await this.periods.isKeyPerson(manager, input.personKey)) ? await this.periods.inForce(manager, input.town, input.periodDay) : null;
    const ruled = input.colour ?? rule.colour;
    const heightened = period ? raiseColour(ruled) : ruled;
    // CC-25: every alert about a person in an organised-crime case is at least ORANGE.
    const colour = (await this.organisedCrime(manager, input.personKey)) ? maxColour(heightened, RiskColour.ORANGE) : heightened;
    const details = period ? { ...input.details, sensitivePeriod: period.name, ruledColour: ruled } : (input.details ?? {});
    const raisedAt = this.clock.now();
    const dueBy = responseDueBy(colour, raisedAt, {
      redMinutes: this.config.ALERT_RESPONSE_RED_MINUTES,
      orangeMinutes: this.config.ALERT_RESPONSE_ORANGE_MINUTES,
      yellowWorkingDays: this.config.ALERT_RESPONSE_YELLOW_WORKING_DAYS,
    });
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO alerts.alerts (rule, colour, state, person_key, town, record_type, record_id, raised_at, due_by, details)
       VALUES ($1, $2, 'OPEN', $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (rule, record_type, record_id) WHERE state <> 'RESOLVED' DO NOTHING
       RETURNING id`,
      [input.rule, colour, input.personKey, input.town, input.recordType, input.recordId, raisedAt, dueBy, details],
    );
    if (inserted.length === 0) return null;
    const alert = await manager.getRepository(Alert).findOneByOrFail({ id: inserted[0].id });
    await this.live.queue(manager, 'RAISED', alert);
    await this.events.publish(manager, 'alerts.alert.raised', {
      alertId: alert.id,
      rule: alert.rule,
      personKey: alert.personKey,
      town: alert.town,
      colour: alert.colour,
      recordType: alert.recordType,
      recordId: alert.recordId,
    });
    await this.audit.record(
      {
        actor: { system: 'alerts' },
        action: 'alerts.alert.raise',
        entityType: 'Alert',
        entityId: alert.id,
        personKey: alert.personKey ?? undefined,
        towns: alert.town ? [alert.town] : [],
        details: { rule: alert.rule, recordType: alert.recordType, recordId: alert.recordId },
      },
      manager,
    );
    return alert;
  }

  async list(caller: Principal, filter: AlertListFilter): Promise<{ items: Alert[]; totalCount: number; hasNextPage: boolean }> {
    const scope = personScope(caller, filter.town);
    const towns = scope.towns;
    const qb = this.dataSource.getRepository(Alert).createQueryBuilder('a');
    if (!whereInScope(qb, 'a', scope)) return { items: [], totalCount: 0, hasNextPage: false };
    if (filter.state) qb.andWhere('a.state = :state', { state: filter.state });
    const { items, totalCount, hasNextPage } = await keysetPage(qb, 'a', { first: filter.first, after: filter.after });
    await this.audit.record({
      actor: caller,
      action: 'alerts.alert.list',
      entityType: 'Alert',
      towns,
      personKeys: items.map((a) => a.personKey),
      details: { ids: items.map((a) => a.id) },
    });
    return { items, totalCount, hasNextPage };
  }

  async findByPersonKeys(caller: Principal, keys: readonly string[]): Promise<Map<string, Alert[]>> {
    const { byKey, rows, towns } = await rowsByPersonKeyInTowns(this.dataSource.getRepository(Alert), caller, keys);
    if (rows.length > 0) {
      await this.audit.record({
        actor: caller,
        action: 'alerts.alert.list',
        entityType: 'Alert',
        towns,
        personKeys: rows.map((r) => r.personKey),
        details: { ids: rows.map((r) => r.id) },
      });
    }
    return byKey;
  }


  async acknowledge(caller: Principal, id: string): Promise<Alert> {
    return this.transition(caller, id, 'alerts.alert.acknowledge', (alert, now) => {
      if (alert.state !== AlertState.OPEN && alert.state !== AlertState.ESCALATED) {
        throw illegal(alert, 'acknowledge');
      }
      alert.state = AlertState.ACKNOWLEDGED;
      alert.acknowledgedAt = now;
      alert.acknowledgedBy = caller.username ?? caller.sub;
    });
  }

  async resolve(caller: Principal, id: string, note: string): Promise<Alert> {
    return this.transition(caller, id, 'alerts.alert.resolve', (alert, now) => {
      if (!NOT_RESOLVED.includes(alert.state)) throw illegal(alert, 'resolve');
      alert.state = AlertState.RESOLVED;
      alert.resolvedAt = now;
      alert.resolvedBy = caller.username ?? caller.sub;
      alert.note = note;
    });
  }

  private async transition(caller: Principal, id: string, action: string, change: (a: Alert, now: Date) => void): Promise<Alert> {
    return this.dataSource.transaction(async (manager) => {
      const alert = await this.alerts.forChange(manager, caller, id, action);
      change(alert, this.clock.now());
      await manager.save(alert);
      await this.live.queue(manager, 'CHANGED', alert);
      await this.audit.record(
        { actor: caller, action, entityType: 'Alert', entityId: alert.id, personKey: alert.personKey ?? undefined, towns: alert.town ? [alert.town] : [] },
        manager,
      );
      return alert;
    });
  }
}

function illegal(alert: Alert, what: string): DomainError {
  return new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `cannot ${what} an alert that is ${alert.state} / 当前状态不允许此操作`, {
    details: { state: alert.state },
  });
}

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
   * For many persons in one statement, the keys of those flagged as key persons (AL-4, as
   * `PeriodsService.keyPersonsOf` reads it) and of those in an organised-crime case (CC-25, as
   * `organisedCrime` reads it).
   */
  private async personFlagsOf(manager: EntityManager, personKeys: readonly string[]): Promise<{ keyPersons: Set<string>; organised: Set<string> }> {
    if (personKeys.length === 0) return { keyPersons: new Set(), organised: new Set() };
    const rows: Array<{ person_key: string; key_person: boolean; organised_crime: boolean }> = await manager.query(
      `SELECT person_key, key_person, organised_crime FROM alerts.person_flags
        WHERE person_key = ANY($1::char(64)[]) AND (key_person OR organised_crime)`,
      [[...new Set(personKeys)]],
    );
    return {
      keyPersons: new Set(rows.filter((r) => r.key_person === true).map((r) => r.person_key)),
      organised: new Set(rows.filter((r) => r.organised_crime === true).map((r) => r.person_key)),
    };
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

  /**
   * Raises an alert in the caller's transaction unless one for the same (rule, record) is still
   * not resolved (AL-1). Returns the new alert, or null when one was already open.
   */
  async raise(manager: EntityManager, input: RaiseAlert): Promise<Alert | null> {
    const rule = ruleOf(input.rule);
    if (!rule) throw new Error(`unknown alert rule ${input.rule}`);
    // AL-4: during a sensitive period covering the town, every alert about a key person is one colour higher.
    const period = (await this.periods.isKeyPerson(manager, input.personKey)) ? await this.periods.inForce(manager, input.town, input.periodDay) : null;
    const organisedCrime = await this.organisedCrime(manager, input.personKey);
    const raisedAt = this.clock.now();
    const row = this.rowOf(input, rule.colour, period, organisedCrime, raisedAt);
    const inserted: Array<{ id: string }> = await manager.query(
      `INSERT INTO alerts.alerts (rule, colour, state, person_key, town, record_type, record_id, raised_at, due_by, details)
       VALUES ($1, $2, 'OPEN', $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (rule, record_type, record_id) WHERE state <> 'RESOLVED' DO NOTHING
       RETURNING id`,
      [input.rule, row.colour, input.personKey, input.town, input.recordType, input.recordId, raisedAt, row.dueBy, row.details],
    );
    if (inserted.length === 0) return null;
    const alert = await manager.getRepository(Alert).findOneByOrFail({ id: inserted[0].id });
    await this.announce(manager, [alert]);
    return alert;
  }

  /**
   * `raise` for many alerts in the caller's transaction, set-based (issue 13: the due-date sweep): the
   * same colour rules (AL-4 sensitive period, CC-25 organised crime), the same AL-1 rule (none while one
   * for the same (rule, record) is not resolved — also against an earlier input of the same call), the
   * same live-feed message, `alerts.alert.raised` event and audit row per new alert — in a fixed number of
   * statements whatever the count. Returns, per input, the new alert or null.
   */
  async raiseMany(manager: EntityManager, inputs: readonly RaiseAlert[]): Promise<Array<Alert | null>> {
    if (inputs.length === 0) return [];
    const rules = inputs.map((input) => {
      const rule = ruleOf(input.rule);
      if (!rule) throw new Error(`unknown alert rule ${input.rule}`);
      return rule;
    });
    const personKeys = inputs.map((i) => i.personKey).filter((k): k is string => Boolean(k));
    const { keyPersons, organised } = await this.personFlagsOf(manager, personKeys);
    const asks = inputs.map((i) => (i.personKey && keyPersons.has(i.personKey) ? { town: i.town, day: i.periodDay } : { town: null }));
    const periods = asks.some((a) => a.town) ? await this.periods.inForceMany(manager, asks) : asks.map(() => null);
    const raisedAt = this.clock.now();
    // AL-1 within the call: the first input of a (rule, record) is the one inserted, as one raise after another would.
    const keyOf = (r: { rule: string; recordType: string; recordId: string }) => `${r.rule}\u0000${r.recordType}\u0000${r.recordId}`;
    const firsts = new Map<string, number>();
    inputs.forEach((input, i) => {
      if (!firsts.has(keyOf(input))) firsts.set(keyOf(input), i);
    });
    const candidates = [...firsts.values()].map((i) => ({
      input: inputs[i],
      row: this.rowOf(inputs[i], rules[i].colour, periods[i], Boolean(inputs[i].personKey && organised.has(inputs[i].personKey as string)), raisedAt),
    }));
    const inserted: Array<Record<string, unknown>> = await manager.query(
      `INSERT INTO alerts.alerts (rule, colour, state, person_key, town, record_type, record_id, raised_at, due_by, details)
       SELECT a.rule, a.colour, 'OPEN', a.person_key, a.town, a.record_type, a.record_id, $7, a.due_by, a.details
         FROM unnest($1::varchar[], $2::varchar[], $3::char(64)[], $4::varchar[], $5::varchar[], $6::varchar[], $8::timestamptz[], $9::jsonb[])
              WITH ORDINALITY AS a(rule, colour, person_key, town, record_type, record_id, due_by, details, n)
        ORDER BY a.n
       ON CONFLICT (rule, record_type, record_id) WHERE state <> 'RESOLVED' DO NOTHING
       RETURNING *`,
      [
        candidates.map((c) => c.input.rule),
        candidates.map((c) => c.row.colour),
        candidates.map((c) => c.input.personKey),
        candidates.map((c) => c.input.town),
        candidates.map((c) => c.input.recordType),
        candidates.map((c) => c.input.recordId),
        raisedAt,
        candidates.map((c) => c.row.dueBy),
        candidates.map((c) => JSON.stringify(c.row.details)),
      ],
    );
    if (inserted.length === 0) return inputs.map(() => null);
    // The new rows as entities straight from RETURNING (hydrated as TypeORM loads them), not read again.
    const byKey = new Map(alertsOf(manager, inserted).map((a) => [keyOf(a), a]));
    const result = inputs.map((input, i) => (firsts.get(keyOf(input)) === i ? byKey.get(keyOf(input)) ?? null : null));
    await this.announce(manager, result.filter((a): a is Alert => a !== null));
    return result;
  }

  /** The colour, response time and details of an alert to raise (AL-2, AL-4, CC-25): no I/O. */
  private rowOf(
    input: RaiseAlert,
    ruleColour: RiskColour,
    period: { name: string } | null,
    organisedCrime: boolean,
    raisedAt: Date,
  ): { colour: RiskColour; dueBy: Date | null; details: Record<string, unknown> } {
    const ruled = input.colour ?? ruleColour;
    const heightened = period ? raiseColour(ruled) : ruled;
    // CC-25: every alert about a person in an organised-crime case is at least ORANGE.
    const colour = organisedCrime ? maxColour(heightened, RiskColour.ORANGE) : heightened;
    const details = period ? { ...input.details, sensitivePeriod: period.name, ruledColour: ruled } : (input.details ?? {});
    const dueBy = responseDueBy(colour, raisedAt, {
      redMinutes: this.config.ALERT_RESPONSE_RED_MINUTES,
      orangeMinutes: this.config.ALERT_RESPONSE_ORANGE_MINUTES,
      yellowWorkingDays: this.config.ALERT_RESPONSE_YELLOW_WORKING_DAYS,
    });
    return { colour, dueBy, details };
  }

  /** What every new alert gets, in the caller's transaction: its live-feed message, its `alerts.alert.raised` event, its audit row. */
  private async announce(manager: EntityManager, alerts: readonly Alert[]): Promise<void> {
    if (alerts.length === 0) return;
    for (const alert of alerts) await this.live.queue(manager, 'RAISED', alert);
    await this.events.publishMany(
      manager,
      'alerts.alert.raised',
      alerts.map((alert) => ({
        alertId: alert.id,
        rule: alert.rule,
        personKey: alert.personKey,
        town: alert.town,
        colour: alert.colour,
        recordType: alert.recordType,
        recordId: alert.recordId,
      })),
    );
    for (const alert of alerts) {
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
    }
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

/** Rows of `alerts.alerts` (all columns, as `RETURNING *` gives them) as Alert entities, hydrated column by column as TypeORM's own load does. */
function alertsOf(manager: EntityManager, rows: ReadonlyArray<Record<string, unknown>>): Alert[] {
  const metadata = manager.connection.getMetadata(Alert);
  const driver = manager.connection.driver;
  return rows.map((row) => {
    const alert = metadata.create() as Alert;
    for (const column of metadata.columns) column.setEntityValue(alert, driver.prepareHydratedValue(row[column.databaseName], column));
    return alert;
  });
}

function illegal(alert: Alert, what: string): DomainError {
  return new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `cannot ${what} an alert that is ${alert.state} / 当前状态不允许此操作`, {
    details: { state: alert.state },
  });
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertState, DomainError, DomainErrorCode, RiskColour, localDateInShanghai, startOfLocalDateInShanghai, addDays } from '@homeward/domain';
import { AuditWriter, Clock, Principal, RecordAccess, personScope, whereInScope } from '@homeward/platform';
import { Alert } from '../alerts/alert.entity';
import { AlertEscalation, EscalationService } from '../escalation/escalation.service';
import { DutyRosterEntry, RosterService } from '../roster/roster.service';
import { CITY_SCOPE } from '../roster/roster.types';

export interface OpenCount {
  town: string;
  colour: RiskColour;
  state: AlertState;
  count: number;
}

export interface CommandCentreView {
  /** The Shanghai day the view is of. */
  day: string;
  towns: string[];
  /** Not-resolved alerts (OPEN, ACKNOWLEDGED, ESCALATED) counted by (town, colour, state). */
  openCounts: OpenCount[];
  /** Alerts past their AL-2 response time and not acknowledged (OPEN or ESCALATED), most overdue first. */
  overdueCount: number;
  overdue: Alert[];
  /** Escalation steps taken today (Shanghai) on alerts of the towns, newest first. */
  escalationsToday: Array<AlertEscalation & { alert: Alert }>;
  /** Today's roster: the city command centre and the towns of the view. */
  onDuty: DutyRosterEntry[];
}

/** One entry of an alert's timeline (AL-1: raised, escalated, acknowledged by whom, resolved with a note). */
export interface TimelineEntry {
  kind: 'RAISED' | 'ESCALATED' | 'ACKNOWLEDGED' | 'RESOLVED';
  at: Date;
  by: string | null;
  level: number | null;
  note: string | null;
}

/**
 * Issue 11 item 5, the command-centre view: for CITY_ADMIN every town (or one), for a town officer its
 * towns. Counts are aggregates (no person); the overdue and escalated alerts it lists are a read of
 * those persons' alerts and audited once, naming them. Everything is filtered by the caller's towns in SQL.
 */
@Injectable()
export class CommandCentreService {
  private readonly alerts: RecordAccess<Alert>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly escalation: EscalationService,
    private readonly roster: RosterService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {
    this.alerts = new RecordAccess(audit, {
      entity: Alert,
      notFound: (id) => new DomainError(DomainErrorCode.NOT_FOUND, `alert ${id} not found / 未找到该预警`),
      deniedBy: 'interceptor',
    });
  }

  async view(caller: Principal, town: string | undefined, first: number): Promise<CommandCentreView> {
    const now = this.clock.now();
    const day = localDateInShanghai(now);
    const scope = personScope(caller, town);
    const towns = scope.towns;
    if (towns.length === 0) return { day, towns, openCounts: [], overdueCount: 0, overdue: [], escalationsToday: [], onDuty: [] };
    const counts: Array<{ town: string; colour: RiskColour; state: AlertState; n: number }> = await this.dataSource.query(
      `SELECT town, colour, state, count(*)::int AS n FROM alerts.alerts
        WHERE town = ANY($1) AND state <> 'RESOLVED' GROUP BY town, colour, state ORDER BY town, colour, state`,
      [towns],
    );
    const overdueQb = this.dataSource
      .getRepository(Alert)
      .createQueryBuilder('a')
      .where(`a.state IN (:...states)`, { states: [AlertState.OPEN, AlertState.ESCALATED] })
      .andWhere('a.dueBy < :now', { now });
    whereInScope(overdueQb, 'a', scope);
    const [overdue, overdueCount] = await overdueQb.orderBy('a.dueBy', 'ASC').addOrderBy('a.id', 'ASC').take(first).getManyAndCount();
    const from = startOfLocalDateInShanghai(day);
    const to = startOfLocalDateInShanghai(addDays(day, 1));
    const stepRows: Array<{ alert_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT e.alert_id, max(e.escalated_at) AS at FROM alerts.alert_escalations e JOIN alerts.alerts a ON a.id = e.alert_id
        WHERE a.town = ANY($1) AND e.escalated_at >= $2 AND e.escalated_at < $3 GROUP BY e.alert_id ORDER BY at DESC LIMIT $4`,
      [towns, from, to, first],
    );
    const ids = stepRows.map((r) => r.alert_id);
    const escalatedAlerts = ids.length ? await this.dataSource.getRepository(Alert).createQueryBuilder('a').where('a.id IN (:...ids)', { ids }).getMany() : [];
    const byId = new Map(escalatedAlerts.map((a) => [a.id, a]));
    const steps = await this.escalation.escalationsOf(ids);
    const escalationsToday = ids
      .flatMap((id) => (steps.get(id) ?? []).filter((s) => s.escalatedAt >= from && s.escalatedAt < to).map((s) => ({ ...s, alert: byId.get(id) as Alert })))
      .sort((a, b) => b.escalatedAt.getTime() - a.escalatedAt.getTime());
    // The city command centre first, then the towns.
    const onDuty = (await this.roster.list(caller, day, day))
      .filter((e) => e.scope === CITY_SCOPE || towns.includes(e.scope))
      .sort((a, b) => Number(b.scope === CITY_SCOPE) - Number(a.scope === CITY_SCOPE));
    const shown = [...overdue, ...escalatedAlerts];
    await this.audit.record({
      actor: caller,
      action: 'alerts.command-centre.read',
      entityType: 'Alert',
      towns,
      personKeys: shown.map((a) => a.personKey),
      details: { ids: [...new Set(shown.map((a) => a.id))] },
    });
    return {
      day,
      towns,
      openCounts: counts.map((c) => ({ town: c.town, colour: c.colour, state: c.state, count: c.n })),
      overdueCount,
      overdue,
      escalationsToday,
      onDuty,
    };
  }

  /** One alert in the caller's towns (another town's: NOT_FOUND, the denial audited); the read is audited. */
  async alert(caller: Principal, id: string): Promise<Alert> {
    const alert = await this.alerts.forRead(this.dataSource.manager, caller, id, 'alerts.alert.read');
    await this.audit.record({ actor: caller, action: 'alerts.alert.read', entityType: 'Alert', entityId: alert.id, personKey: alert.personKey ?? undefined, towns: alert.town ? [alert.town] : [] });
    return alert;
  }

  /** The timelines of these alerts by id (the alerts were already read in the caller's towns), oldest entry first. */
  async timelinesOf(ids: readonly string[]): Promise<Map<string, TimelineEntry[]>> {
    const alerts = ids.length ? await this.dataSource.getRepository(Alert).createQueryBuilder('a').where('a.id IN (:...ids)', { ids: [...ids] }).getMany() : [];
    const steps = await this.escalation.escalationsOf(alerts.map((a) => a.id));
    const out = new Map<string, TimelineEntry[]>();
    for (const a of alerts) {
      const entries: TimelineEntry[] = [{ kind: 'RAISED', at: a.raisedAt, by: null, level: null, note: null }];
      for (const s of steps.get(a.id) ?? []) entries.push({ kind: 'ESCALATED', at: s.escalatedAt, by: s.onDuty, level: s.level, note: null });
      if (a.acknowledgedAt) entries.push({ kind: 'ACKNOWLEDGED', at: a.acknowledgedAt, by: a.acknowledgedBy, level: null, note: null });
      if (a.resolvedAt) entries.push({ kind: 'RESOLVED', at: a.resolvedAt, by: a.resolvedBy, level: null, note: a.note });
      entries.sort((x, y) => x.at.getTime() - y.at.getTime());
      out.set(a.id, entries);
    }
    return out;
  }
}

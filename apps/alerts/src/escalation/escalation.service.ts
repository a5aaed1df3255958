import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AlertState, RiskColour, localDateInShanghai } from '@homeward/domain';
import { AuditWriter, Clock } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { responseDueBy } from '../alerts/response-time';
import { RosterService } from '../roster/roster.service';
import { CITY_SCOPE, DutyRole } from '../roster/roster.types';
import { Alert } from '../alerts/alert.entity';
import { LiveFeedPublisher } from '../live/live-feed.publisher';

export type EscalationOutcome = 'escalated' | 'escalated-again' | 'not-due' | 'missing';

export interface AlertEscalation {
  alertId: string;
  level: number;
  escalatedAt: Date;
  dutyDate: string;
  dutyRole: DutyRole;
  onDuty: string | null;
  townOnDuty: string | null;
}

interface DueRow {
  id: string;
  colour: RiskColour;
  state: AlertState;
  town: string | null;
  person_key: string | null;
  due_by: Date | null;
  escalation_level: number;
  escalation_due_by: Date | null;
}

/**
 * The due escalations, from PostgreSQL alone: OPEN past its response time, or ESCALATED once and past
 * it again. Operations alerts (no town, AL-7) go to SYSTEM_ADMIN, not up the command centre's roster.
 */
const DUE = `town IS NOT NULL AND ((state = 'OPEN' AND escalation_level = 0 AND due_by <= $1) OR (state = 'ESCALATED' AND escalation_level = 1 AND escalation_due_by <= $1))`;

/**
 * AL-1 with AL-6: an alert nobody acknowledged within its colour's response time (AL-2) becomes
 * ESCALATED and goes to the city command centre's person on duty that day (the town's person on duty
 * is recorded beside); one still not acknowledged within the same time again goes to the bureau head
 * on duty. Each step is a row of alerts.alert_escalations (the alert's timeline) and an audit entry.
 */
@Injectable()
export class EscalationService {
  private readonly logger = new Logger(EscalationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roster: RosterService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(AlertsConfig) private readonly config: AlertsConfig,
    private readonly live: LiveFeedPublisher,
  ) {}

  /** Escalates one alert one step when due (re-checked under a row lock). Safe to run twice. */
  async escalate(alertId: string): Promise<EscalationOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const rows: DueRow[] = await manager.query(
        `SELECT id, colour, state, town, person_key, due_by, escalation_level, escalation_due_by FROM alerts.alerts WHERE id = $1 FOR UPDATE`,
        [alertId],
      );
      const alert = rows[0];
      if (!alert || alert.town === null) return 'missing';
      const first = alert.state === AlertState.OPEN && alert.escalation_level === 0 && alert.due_by !== null && alert.due_by.getTime() <= now.getTime();
      const again =
        alert.state === AlertState.ESCALATED && alert.escalation_level === 1 && alert.escalation_due_by !== null && alert.escalation_due_by.getTime() <= now.getTime();
      if (!first && !again) return 'not-due';
      const level = first ? 1 : 2;
      const dutyDate = localDateInShanghai(now);
      const dutyRole = first ? DutyRole.DUTY_OFFICER : DutyRole.BUREAU_HEAD;
      const onDuty = await this.roster.onDuty(manager, CITY_SCOPE, dutyDate, dutyRole);
      const townOnDuty = first && alert.town ? await this.roster.onDuty(manager, alert.town, dutyDate, DutyRole.DUTY_OFFICER) : null;
      // The next step is due one response time after this step fell due (not after the sweep found it).
      const nextDue = first ? responseDueBy(alert.colour, alert.due_by as Date, this.times()) : null;
      await manager.query(
        `UPDATE alerts.alerts SET state = 'ESCALATED', escalation_level = $2, escalation_due_by = $3, version = version + 1 WHERE id = $1`,
        [alert.id, level, nextDue],
      );
      await manager.query(
        `INSERT INTO alerts.alert_escalations (alert_id, level, escalated_at, duty_date, duty_role, on_duty, town_on_duty) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [alert.id, level, now, dutyDate, dutyRole, onDuty, townOnDuty],
      );
      await this.audit.record(
        {
          actor: { system: 'alerts' },
          action: 'alerts.alert.escalate',
          entityType: 'Alert',
          entityId: alert.id,
          personKey: alert.person_key ?? undefined,
          towns: alert.town ? [alert.town] : [],
          details: { level, dutyDate, dutyRole, onDuty, townOnDuty },
        },
        manager,
      );
      await this.live.queue(manager, 'CHANGED', await manager.getRepository(Alert).findOneByOrFail({ id: alert.id }));
      return first ? 'escalated' : 'escalated-again';
    });
  }

  /** Ids of alerts with an escalation due now, oldest first. */
  async dueAlertIds(limit = 500): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM alerts.alerts WHERE ${DUE} ORDER BY coalesce(escalation_due_by, due_by), id LIMIT $2`,
      [this.clock.now(), limit],
    );
    return rows.map((r) => r.id);
  }

  /** The sweep: escalates every due alert one step, in batches; returns how many steps it took. */
  async sweep(batch = 500): Promise<number> {
    let steps = 0;
    for (;;) {
      const ids = await this.dueAlertIds(batch);
      let done = 0;
      for (const id of ids) {
        const outcome = await this.escalate(id);
        if (outcome === 'escalated' || outcome === 'escalated-again') done += 1;
      }
      steps += done;
      if (ids.length < batch || done === 0) break;
    }
    if (steps > 0) this.logger.log(`escalation sweep took ${steps} step(s)`);
    return steps;
  }

  /** The escalation steps of these alerts, by alert id, oldest first. */
  async escalationsOf(alertIds: readonly string[]): Promise<Map<string, AlertEscalation[]>> {
    const rows: Array<{ alert_id: string; level: number; escalated_at: Date; duty_date: string; duty_role: DutyRole; on_duty: string | null; town_on_duty: string | null }> =
      await this.dataSource.query(
        `SELECT alert_id, level, escalated_at, to_char(duty_date, 'YYYY-MM-DD') AS duty_date, duty_role, on_duty, town_on_duty
           FROM alerts.alert_escalations WHERE alert_id = ANY($1::uuid[]) ORDER BY level`,
        [[...alertIds]],
      );
    const byAlert = new Map<string, AlertEscalation[]>();
    for (const r of rows) {
      const list = byAlert.get(r.alert_id) ?? [];
      list.push({ alertId: r.alert_id, level: r.level, escalatedAt: r.escalated_at, dutyDate: r.duty_date, dutyRole: r.duty_role, onDuty: r.on_duty, townOnDuty: r.town_on_duty });
      byAlert.set(r.alert_id, list);
    }
    return byAlert;
  }

  private times() {
    return {
      redMinutes: this.config.ALERT_RESPONSE_RED_MINUTES,
      orangeMinutes: this.config.ALERT_RESPONSE_ORANGE_MINUTES,
      yellowWorkingDays: this.config.ALERT_RESPONSE_YELLOW_WORKING_DAYS,
    };
  }
}

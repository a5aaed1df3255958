import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, RiskColour, addDays, startOfLocalDateInShanghai } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { Clock } from '@homeward/platform';
import { AlertsService } from '../alerts/alerts.service';
import { DeadlineScheduler } from '../deadlines/deadline-scheduler';

export const MONITORING = 'correction.monitoring';
const EXPIRY_RULES = ['CC-12.MONITORING_EXPIRING', 'CC-12.MONITORING_EXPIRED'];

export interface ArmInput {
  rule: string;
  recordType: string;
  recordId: string;
  personKey: string | null;
  town: string | null;
  dueAt: Date;
  details?: Record<string, unknown>;
}

/**
 * Writes or re-arms a due-date watch (a deadline that moved later: an extension, a reassignment).
 * A watch already satisfied stays satisfied (the event that settles it may arrive first), and a
 * due date never moves earlier (an older event delivered late). Returns the watch to schedule, or
 * null when there is nothing to schedule.
 */
export async function armWatch(manager: EntityManager, w: ArmInput): Promise<{ id: string; dueAt: Date } | null> {
  const rows: Array<{ id: string; due_at: Date; satisfied_at: Date | null }> = await manager.query(
    `INSERT INTO alerts.watches (rule, record_type, record_id, person_key, town, due_at, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (rule, record_type, record_id) DO UPDATE
       SET due_at = EXCLUDED.due_at, town = EXCLUDED.town, details = EXCLUDED.details,
           fired_at = CASE WHEN EXCLUDED.due_at > alerts.watches.due_at THEN NULL ELSE alerts.watches.fired_at END
       WHERE alerts.watches.satisfied_at IS NULL AND EXCLUDED.due_at >= alerts.watches.due_at
     RETURNING id, due_at, satisfied_at`,
    [w.rule, w.recordType, w.recordId, w.personKey, w.town, w.dueAt, w.details ?? {}],
  );
  const row = rows[0];
  return row && !row.satisfied_at ? { id: row.id, dueAt: new Date(row.due_at) } : null;
}

/**
 * Settles the watches `rules` of a record: the awaited thing happened. A watch not written yet is
 * written satisfied, so the event that would arm it later (delivered out of order) stays settled.
 */
export async function settleWatches(
  manager: EntityManager,
  now: Date,
  ref: { recordType: string; recordId: string; personKey: string | null; town: string | null },
  rules: readonly string[],
): Promise<void> {
  for (const rule of rules) {
    await manager.query(
      `INSERT INTO alerts.watches (rule, record_type, record_id, person_key, town, due_at, satisfied_at)
       VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT (rule, record_type, record_id) DO UPDATE SET satisfied_at = $6
       WHERE alerts.watches.satisfied_at IS NULL AND alerts.watches.fired_at IS NULL`,
      [rule, ref.recordType, ref.recordId, ref.personKey, ref.town, now],
    );
  }
}

/**
 * AL-3 rules of CC-12 electronic location: location breach (RED for key persons, else ORANGE) and
 * device silent (ORANGE) as event rules; monitoring expiring (BLUE, on the reminder day computed by
 * correction from its configured working days) and expired (YELLOW, the day after the end) as
 * due-date rules, re-armed on extension and settled when the monitoring is lifted.
 */
@Injectable()
export class MonitoringAlertsHandler {
  constructor(
    private readonly alerts: AlertsService,
    private readonly scheduler: DeadlineScheduler,
    private readonly clock: Clock,
  ) {}

  @OnEvent('correction.location.breach')
  async onBreach(event: EventEnvelope<'correction.location.breach'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'CC-12.LOCATION_BREACH',
      colour: p.keyPerson ? RiskColour.RED : RiskColour.ORANGE,
      personKey: p.personKey,
      town: p.town,
      recordType: MONITORING,
      recordId: p.monitoringId,
      details: { subjectId: p.subjectId, at: p.at, keyPerson: p.keyPerson },
    });
  }

  @OnEvent('correction.device.silent')
  async onSilent(event: EventEnvelope<'correction.device.silent'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'CC-12.DEVICE_SILENT',
      personKey: p.personKey,
      town: p.town,
      recordType: MONITORING,
      recordId: p.monitoringId,
      details: { subjectId: p.subjectId, lastFixAt: p.lastFixAt, silentSince: p.silentSince },
    });
  }

  @OnEvent('correction.monitoring.approved')
  async onApproved(event: EventEnvelope<'correction.monitoring.approved'>, manager: EntityManager): Promise<void> {
    await this.armExpiry(manager, event.payload);
  }

  @OnEvent('correction.monitoring.extended')
  async onExtended(event: EventEnvelope<'correction.monitoring.extended'>, manager: EntityManager): Promise<void> {
    await this.armExpiry(manager, event.payload);
  }

  @OnEvent('correction.monitoring.ended')
  async onEnded(event: EventEnvelope<'correction.monitoring.ended'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await settleWatches(manager, this.clock.now(), { recordType: MONITORING, recordId: p.monitoringId, personKey: p.personKey, town: p.town }, EXPIRY_RULES);
  }

  private async armExpiry(
    manager: EntityManager,
    p: { monitoringId: string; subjectId: string; personKey: string; town: string; endDate: string; warnOn: string },
  ): Promise<void> {
    const base = { recordType: MONITORING, recordId: p.monitoringId, personKey: p.personKey, town: p.town };
    const details = { subjectId: p.subjectId, endDate: p.endDate };
    const expiring = await armWatch(manager, { ...base, rule: 'CC-12.MONITORING_EXPIRING', dueAt: startOfLocalDateInShanghai(p.warnOn), details });
    const expired = await armWatch(manager, { ...base, rule: 'CC-12.MONITORING_EXPIRED', dueAt: startOfLocalDateInShanghai(addDays(p.endDate, 1)), details });
    for (const w of [expiring, expired]) if (w) await this.scheduler.schedule(w.id, w.dueAt);
  }
}

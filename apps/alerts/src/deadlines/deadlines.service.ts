import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, returnedRows } from '@homeward/platform';
import { AlertsService } from '../alerts/alerts.service';
import { Alert } from '../alerts/alert.entity';
import { ALERT_RULES, ruleOf } from '../rules/rule-catalogue';

/** The rule codes this version can raise. */
const KNOWN_RULES: readonly string[] = Object.keys(ALERT_RULES);

export type CheckOutcome = 'raised' | 'already-open' | 'not-due' | 'satisfied' | 'fired' | 'missing' | 'unknown-rule';

/** A watch as the check reads it (locked). */
interface WatchRow {
  id: string;
  rule: string;
  record_type: string;
  record_id: string;
  person_key: string | null;
  town: string | null;
  due_at: Date;
  satisfied_at: Date | null;
  fired_at: Date | null;
  details: Record<string, unknown> | null;
}

/** Watches per sweep transaction (issue 13). */
export const SWEEP_BATCH = 500;

const WATCH_COLUMNS = `id, rule, record_type, record_id, person_key, town, due_at, satisfied_at, fired_at, details`;

/**
 * Due-date rules: a watch is written when the event that starts the clock arrives, satisfied by a
 * later event (both by WatchesService, the table's one writer), and checked at its due time — by a
 * delayed job (added when the due time comes within ALERT_JOB_HORIZON_HOURS), and again by the periodic
 * sweep so a lost delayed job is found (docs/architecture.md "The event bus").
 *
 * Issue 13: the sweep is set-based — per batch, one transaction locks the due pending watches
 * (`FOR UPDATE SKIP LOCKED`, so replicas share the work) and marks them fired in one statement, and
 * raises their alerts with one `AlertsService.raiseMany`; `check` (a delayed job) marks its one watch
 * and takes the same raise.
 */
@Injectable()
export class DeadlinesService {
  private readonly logger = new Logger(DeadlinesService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
  ) {}

  /** Checks one watch: raises its alert when due and still pending. Safe to run twice. */
  async check(watchId: string): Promise<CheckOutcome> {
    return this.dataSource.transaction(async (manager) => {
      // Waits for a sweep that holds the watch, then sees what it left (fired).
      const rows: WatchRow[] = await manager.query(`SELECT ${WATCH_COLUMNS} FROM alerts.watches WHERE id = $1 FOR UPDATE`, [watchId]);
      const watch = rows[0];
      if (!watch) return 'missing';
      if (watch.satisfied_at) return 'satisfied';
      if (watch.fired_at) return 'fired';
      const now = this.clock.now();
      if (new Date(watch.due_at).getTime() > now.getTime()) return 'not-due';
      if (!ruleOf(watch.rule)) {
        // Left pending for a version that knows the rule (see sweep); retrying the job would not help.
        this.logger.error(`watch ${watch.id} has rule ${watch.rule}, which this version does not know: left pending, not raised`);
        return 'unknown-rule';
      }
      await manager.query(`UPDATE alerts.watches SET fired_at = $2 WHERE id = $1`, [watch.id, now]);
      const [alert] = await this.raiseFor(manager, [watch]);
      return alert ? 'raised' : 'already-open';
    });
  }

  /**
   * The sweep: raises the alert of every due watch, found from PostgreSQL alone (so a Redis that lost its
   * delayed jobs costs at most one sweep period, issue 14 item 3), `batch` watches per transaction until
   * none is left; returns how many alerts it raised. Watches another sweep (or a check) holds are left to
   * it, so two replicas sweeping at once raise nothing twice.
   */
  async sweep(batch = SWEEP_BATCH): Promise<number> {
    let raised = 0;
    // Only the rules this version raises: a watch of another rule (written by a later version, or of a
    // rule since retired) would make raiseMany throw, roll the batch back, and — being the oldest due —
    // stop every later sweep at the same place. It stays pending and is reported below.
    const known = KNOWN_RULES;
    for (;;) {
      const { taken, raisedNow } = await this.dataSource.transaction(async (manager) => {
        const now = this.clock.now();
        // Takes (locks) and marks fired in one statement; raised below in the same transaction, in due order.
        const due = returnedRows<WatchRow>(await manager.query(
          `WITH due AS (
             SELECT id FROM alerts.watches
              WHERE satisfied_at IS NULL AND fired_at IS NULL AND due_at <= $1 AND rule = ANY($3::text[])
              ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           UPDATE alerts.watches w SET fired_at = $1 FROM due WHERE w.id = due.id
           RETURNING ${WATCH_COLUMNS.split(', ').map((c) => `w.${c}`).join(', ')}`,
          [now, batch, known],
        )).sort((a, b) => new Date(a.due_at).getTime() - new Date(b.due_at).getTime());
        const alerts = await this.raiseFor(manager, due);
        return { taken: due.length, raisedNow: alerts.filter((a) => a !== null).length };
      });
      raised += raisedNow;
      if (taken < batch) break;
    }
    if (raised > 0) this.logger.log(`sweep raised ${raised} alert(s)`);
    const unknown: Array<{ rule: string; n: number }> = await this.dataSource.query(
      `SELECT rule, count(*)::int AS n FROM alerts.watches
        WHERE satisfied_at IS NULL AND fired_at IS NULL AND due_at <= $1 AND rule <> ALL($2::text[])
        GROUP BY rule ORDER BY rule`,
      [this.clock.now(), known],
    );
    if (unknown.length > 0) {
      this.logger.error(
        `due watches of rules this version does not know, left pending (not raised): ${unknown.map((u) => `${u.rule} ×${u.n}`).join(', ')} / 有未知规则的到期监测项，未生成预警`,
      );
    }
    return raised;
  }

  /**
   * Issue 13: notes that the check of `watchId` at `dueAt` was written to the outbox (the refill then
   * leaves it alone). In the caller's transaction.
   */
  async noteCheckScheduled(manager: EntityManager, watchId: string, dueAt: Date): Promise<void> {
    await manager.query(`UPDATE alerts.watches SET check_due_at = $2 WHERE id = $1`, [watchId, dueAt]);
  }

  /**
   * Issue 13: takes up to `limit` pending watches due by `until` whose check at their current due time
   * was never written, and notes it written (the caller writes the jobs in the same transaction). Locked
   * with SKIP LOCKED, so two refills take different watches.
   */
  async takeUnscheduled(manager: EntityManager, until: Date, limit: number): Promise<Array<{ id: string; dueAt: Date }>> {
    const rows = returnedRows<{ id: string; due_at: Date }>(await manager.query(
      `UPDATE alerts.watches w SET check_due_at = w.due_at
        WHERE w.id IN (SELECT id FROM alerts.watches
                        WHERE satisfied_at IS NULL AND fired_at IS NULL AND due_at <= $1 AND check_due_at IS DISTINCT FROM due_at
                        ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
        RETURNING w.id, w.due_at`,
      [until, limit],
    ));
    return rows.map((r) => ({ id: r.id, dueAt: new Date(r.due_at) }));
  }

  /** Raises the alerts of locked, due watches being marked fired in the same transaction (one raiseMany). */
  private async raiseFor(manager: EntityManager, watches: readonly WatchRow[]): Promise<Array<Alert | null>> {
    if (watches.length === 0) return [];
    const alerts = await this.alerts.raiseMany(
      manager,
      watches.map((w) => ({
        rule: w.rule,
        personKey: w.person_key,
        town: w.town,
        recordType: w.record_type,
        recordId: w.record_id,
        details: { ...w.details, dueAt: new Date(w.due_at).toISOString() },
        periodDay: typeof w.details?.periodDay === 'string' ? w.details.periodDay : undefined,
      })),
    );
    return alerts;
  }
}

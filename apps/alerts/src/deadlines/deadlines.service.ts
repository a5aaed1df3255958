import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, LessThanOrEqual } from 'typeorm';
import { Clock } from '@homeward/platform';
import { AlertsService } from '../alerts/alerts.service';
import { Watch } from './watch.entity';

export type CheckOutcome = 'raised' | 'already-open' | 'not-due' | 'satisfied' | 'fired' | 'missing';

/**
 * Due-date rules: a watch is written when the event that starts the clock arrives, satisfied by a
 * later event (both by WatchesService, the table's one writer), and checked at its due time — by a delayed job, and again by the periodic sweep
 * so a lost delayed job is found (docs/architecture.md "The event bus").
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
      const watch = await manager.getRepository(Watch).findOne({ where: { id: watchId }, lock: { mode: 'pessimistic_write' } });
      if (!watch) return 'missing';
      if (watch.satisfiedAt) return 'satisfied';
      if (watch.firedAt) return 'fired';
      if (watch.dueAt.getTime() > this.clock.now().getTime()) return 'not-due';
      const alert = await this.alerts.raise(manager, {
        rule: watch.rule,
        personKey: watch.personKey,
        town: watch.town,
        recordType: watch.recordType,
        recordId: watch.recordId,
        details: { ...watch.details, dueAt: watch.dueAt.toISOString() },
        periodDay: typeof watch.details?.periodDay === 'string' ? watch.details.periodDay : undefined,
      });
      watch.firedAt = this.clock.now();
      await manager.save(watch);
      return alert ? 'raised' : 'already-open';
    });
  }

  /** Ids of watches due now and still pending, oldest first. */
  async dueWatchIds(limit = 500): Promise<string[]> {
    const rows = await this.dataSource.getRepository(Watch).find({
      select: { id: true },
      where: { dueAt: LessThanOrEqual(this.clock.now()), satisfiedAt: IsNull(), firedAt: IsNull() },
      order: { dueAt: 'ASC' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  /**
   * The sweep: checks every due watch, found from PostgreSQL alone (so a Redis that lost its delayed
   * jobs costs at most one sweep period, issue 14 item 3), in batches until none is left; returns how
   * many alerts it raised.
   */
  async sweep(batch = 500): Promise<number> {
    let raised = 0;
    for (;;) {
      const ids = await this.dueWatchIds(batch);
      let settled = 0;
      for (const id of ids) {
        const outcome = await this.check(id);
        if (outcome === 'raised') raised += 1;
        if (outcome !== 'not-due' && outcome !== 'missing') settled += 1;
      }
      if (ids.length < batch || settled === 0) break;
    }
    if (raised > 0) this.logger.log(`sweep raised ${raised} alert(s)`);
    return raised;
  }
}

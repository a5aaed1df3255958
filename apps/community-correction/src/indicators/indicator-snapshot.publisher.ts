import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { IndicatorSnapshotPayload, PeriodRange, correctionIndicators, indicatorSnapshot, lastClosedPeriods, localDateInShanghai } from '@homeward/domain';
import { BusJobs, EventPublisher } from '@homeward/bus';
import { Clock } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { IndicatorsService, townsInForce } from './indicators.service';

const QUEUE = 'correction.indicator-snapshots';

/**
 * Issue 11 item 6: correction's K-CC indicators per town for the last closed month, quarter and year,
 * published as `correction.indicators.published` for the command centre's town ranking, every
 * INDICATOR_SNAPSHOT_INTERVAL_SECONDS (0: never; a later publication of the same period replaces the earlier one
 * there, so late entries reach the ranking). Counts only: no person leaves the service.
 */
@Injectable()
export class IndicatorSnapshotPublisher {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicators: IndicatorsService,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    @Inject(CorrectionConfig) config: CorrectionConfig,
    jobs: BusJobs,
  ) {
    jobs.process(QUEUE, () => this.publishClosed());
    if (config.INDICATOR_SNAPSHOT_INTERVAL_SECONDS === 0) return;
    jobs.every({
      queue: QUEUE,
      schedulerId: 'indicator-snapshots',
      jobName: 'publish',
      everyMs: config.INDICATOR_SNAPSHOT_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }

  /** Publishes the last closed month, quarter and year; returns how many snapshots. */
  async publishClosed(): Promise<number> {
    const periods = lastClosedPeriods(localDateInShanghai(this.clock.now()));
    for (const p of periods) await this.publish(p);
    return periods.length;
  }

  async publish(period: PeriodRange): Promise<IndicatorSnapshotPayload> {
    const counts = await this.indicators.countsByTown(townsInForce(period.end), period);
    const payload = indicatorSnapshot(
      period,
      [...counts].map(([town, c]) => ({ town, indicators: correctionIndicators(c) })),
    );
    await this.dataSource.transaction((manager) => this.events.publish(manager, 'correction.indicators.published', payload));
    return payload;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  EMPTY_RESETTLEMENT_COUNTS,
  IndicatorSnapshotPayload,
  PeriodRange,
  TOWNS,
  compareLocalDate,
  indicatorSnapshot,
  lastClosedPeriods,
  localDateInShanghai,
  resettlementIndicators,
} from '@homeward/domain';
import { BusJobs, EventPublisher } from '@homeward/bus';
import { Clock } from '@homeward/platform';
import { ResettlementConfig } from '../config';
import { ResettlementIndicatorsService } from './indicators.service';

const QUEUE = 'resettlement.indicator-snapshots';

/**
 * Issue 11 item 6: resettlement's K-RS indicators per town for the last closed month, quarter and year,
 * published as `resettlement.indicators.published` for the command centre's town ranking, every
 * INDICATOR_SNAPSHOT_INTERVAL_SECONDS (0: never; a later publication of the same period replaces the earlier one
 * there). Counts only: no person leaves the service.
 */
@Injectable()
export class ResettlementIndicatorSnapshotPublisher {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicators: ResettlementIndicatorsService,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    @Inject(ResettlementConfig) config: ResettlementConfig,
    jobs: BusJobs,
  ) {
    jobs.process(QUEUE, () => this.publishClosed());
    if (config.INDICATOR_SNAPSHOT_INTERVAL_SECONDS === 0) return;
    jobs.every({ queue: QUEUE, schedulerId: 'indicator-snapshots', jobName: 'publish', everyMs: config.INDICATOR_SNAPSHOT_INTERVAL_SECONDS * 1000, verifyEveryMs: 60_000 });
  }

  /** Publishes the last closed month, quarter and year; returns how many snapshots. */
  async publishClosed(): Promise<number> {
    const periods = lastClosedPeriods(localDateInShanghai(this.clock.now()));
    for (const p of periods) await this.publish(p);
    return periods.length;
  }

  async publish(period: PeriodRange): Promise<IndicatorSnapshotPayload> {
    const towns = TOWNS.filter((t) => compareLocalDate(t.validFrom, period.end) <= 0 && (t.validTo === undefined || compareLocalDate(period.end, t.validTo) <= 0)).map((t) => t.code);
    const counts = await this.indicators.counts(towns, period);
    const payload = indicatorSnapshot(
      period,
      towns.map((town) => ({ town, indicators: resettlementIndicators(counts.get(town) ?? { ...EMPTY_RESETTLEMENT_COUNTS }) })),
    );
    await this.dataSource.transaction((manager) => this.events.publish(manager, 'resettlement.indicators.published', payload));
    return payload;
  }
}

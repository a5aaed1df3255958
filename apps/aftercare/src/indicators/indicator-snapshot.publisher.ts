import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EMPTY_AFTERCARE_COUNTS, IndicatorSnapshotPayload, PeriodRange, TOWNS, aftercareIndicators, compareLocalDate, indicatorSnapshot, lastClosedPeriods, localDateInShanghai } from '@homeward/domain';
import { BusJobs, EventPublisher } from '@homeward/bus';
import { Clock } from '@homeward/platform';
import { AftercareConfig } from '../config';
import { AftercareIndicatorsService } from './indicators.service';

const QUEUE = 'aftercare.indicator-snapshots';

/**
 * Issue 11 item 6: aftercare's K-AC indicators per station (town) for the last closed month, quarter and
 * year, published as `aftercare.indicators.published` for the command centre's town ranking, every
 * INDICATOR_SNAPSHOT_INTERVAL_SECONDS (0: never), as correction and resettlement do. Counts only.
 */
@Injectable()
export class AftercareIndicatorSnapshotPublisher {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly indicators: AftercareIndicatorsService,
    private readonly events: EventPublisher,
    private readonly clock: Clock,
    @Inject(AftercareConfig) config: AftercareConfig,
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
      towns.map((town) => ({ town, indicators: aftercareIndicators(counts.get(town) ?? { ...EMPTY_AFTERCARE_COUNTS }) })),
    );
    await this.dataSource.transaction((manager) => this.events.publish(manager, 'aftercare.indicators.published', payload));
    return payload;
  }
}

import { Module } from '@nestjs/common';
import { DataQualityModule } from '../data-quality/data-quality.module';
import { CityIndicatorsResolver, TownIndicatorsResolver } from './indicators.resolver';
import { IndicatorsService } from './indicators.service';
import { MonthlyStatisticsController } from './monthly-statistics.controller';
import { ReoffenceEventsHandler } from './reoffence-events.handler';
import { IndicatorSnapshotPublisher } from './indicator-snapshot.publisher';

/** K-CC1…K-CC7 on the Town entity and for the city; the monthly statistics export (CSV / XLSX). */
@Module({
  imports: [DataQualityModule],
  controllers: [MonthlyStatisticsController],
  providers: [IndicatorsService, TownIndicatorsResolver, CityIndicatorsResolver, ReoffenceEventsHandler, IndicatorSnapshotPublisher],
  exports: [IndicatorsService],
})
export class IndicatorsModule {}

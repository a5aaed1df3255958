import { Module } from '@nestjs/common';
import { ResettlementIndicatorsService } from './indicators.service';
import { ResettlementIndicatorsResolver } from './indicators.resolver';
import { ResettlementMonthlyStatisticsController } from './monthly-statistics.controller';
import { ResettlementIndicatorSnapshotPublisher } from './indicator-snapshot.publisher';

/** K-RS1 … K-RS12: the GraphQL query and the monthly statistics export. */
@Module({ controllers: [ResettlementMonthlyStatisticsController], providers: [ResettlementIndicatorsService, ResettlementIndicatorsResolver, ResettlementIndicatorSnapshotPublisher], exports: [ResettlementIndicatorsService] })
export class ResettlementIndicatorsModule {}

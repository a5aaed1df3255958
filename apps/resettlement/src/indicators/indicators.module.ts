import { Module } from '@nestjs/common';
import { ResettlementIndicatorsService } from './indicators.service';
import { ResettlementIndicatorsResolver } from './indicators.resolver';
import { ResettlementMonthlyStatisticsController } from './monthly-statistics.controller';

/** K-RS1 … K-RS12: the GraphQL query and the monthly statistics export. */
@Module({ controllers: [ResettlementMonthlyStatisticsController], providers: [ResettlementIndicatorsService, ResettlementIndicatorsResolver], exports: [ResettlementIndicatorsService] })
export class ResettlementIndicatorsModule {}

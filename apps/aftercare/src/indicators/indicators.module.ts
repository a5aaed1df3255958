import { Module } from '@nestjs/common';
import { SuccessCasesModule } from '../success-cases/success-cases.module';
import { AftercareIndicatorsResolver } from './indicators.resolver';
import { AftercareIndicatorsService } from './indicators.service';
import { AftercareIndicatorSnapshotPublisher } from './indicator-snapshot.publisher';
import { AftercareMonthlyStatisticsController } from './monthly-statistics.controller';

/** K-AC1 … K-AC4: the GraphQL query; AC-7 the monthly statistics export. */
@Module({
  imports: [SuccessCasesModule],
  controllers: [AftercareMonthlyStatisticsController],
  providers: [AftercareIndicatorsService, AftercareIndicatorsResolver, AftercareIndicatorSnapshotPublisher],
  exports: [AftercareIndicatorsService],
})
export class AftercareIndicatorsModule {}

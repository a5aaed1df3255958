import { Module } from '@nestjs/common';
import { DataQualityRepository } from './data-quality.repository';
import { DataQualityResolver } from './data-quality.resolver';
import { DataQualityService } from './data-quality.service';

/** CC-29 data quality: findings, corrections; K-DQ1 counts for the indicators. */
@Module({
  providers: [DataQualityRepository, DataQualityService, DataQualityResolver],
  exports: [DataQualityService],
})
export class DataQualityModule {}

import { Module } from '@nestjs/common';
import { ResettlementIndicatorsService } from './indicators.service';

/** K-RS1 … K-RS12. */
@Module({ providers: [ResettlementIndicatorsService], exports: [ResettlementIndicatorsService] })
export class ResettlementIndicatorsModule {}

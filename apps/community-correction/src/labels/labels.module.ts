import { Module } from '@nestjs/common';
import { LabelsResolver } from './labels.resolver';

/** The enum dictionary query `enumLabels`. */
@Module({ providers: [LabelsResolver] })
export class LabelsModule {}

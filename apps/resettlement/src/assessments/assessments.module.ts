import { Module } from '@nestjs/common';
import { ReleasesModule } from '../releases/releases.module';
import { AssessmentsService } from './assessments.service';
import { AssessmentsResolver } from './assessments.resolver';

/** RS-6: risk assessments and police hand-overs after release. */
@Module({ imports: [ReleasesModule], providers: [AssessmentsService, AssessmentsResolver], exports: [AssessmentsService] })
export class AssessmentsModule {}

import { Module } from '@nestjs/common';
import { SanctionFactsModule } from './sanction-facts';
import { SubjectsModule } from '../subjects/subjects.module';
import { SupervisionModule } from '../supervision/supervision.module';
import { SanctionsResolver } from './sanctions.resolver';
import { SanctionSweepScheduler } from './sanction-sweep.scheduler';
import { SanctionsService } from './sanctions.service';

/** CC-11 sanctions ladder. */
@Module({
  imports: [SanctionFactsModule, SubjectsModule, SupervisionModule],
  providers: [SanctionsService, SanctionsResolver, SanctionSweepScheduler],
  exports: [SanctionsService],
})
export class SanctionsModule {}

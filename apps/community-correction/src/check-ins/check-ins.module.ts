import { Module } from '@nestjs/common';
import { CheckInFactsModule } from './check-in-facts';
import { SubjectsModule } from '../subjects/subjects.module';
import { SanctionsModule } from '../sanctions/sanctions.module';
import { SupervisionModule } from '../supervision/supervision.module';
import { CheckInsResolver } from './check-ins.resolver';
import { CheckInsService } from './check-ins.service';

/** CC-9 check-ins, education and community service hours, monthly compliance. */
@Module({
  imports: [CheckInFactsModule, SubjectsModule, SupervisionModule, SanctionsModule],
  providers: [CheckInsService, CheckInsResolver],
  exports: [CheckInsService],
})
export class CheckInsModule {}

import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { PlansResolver } from './plans.resolver';
import { PlansService } from './plans.service';

/** CC-7: correction plans and teams. */
@Module({
  imports: [SubjectsModule],
  providers: [PlansService, PlansResolver],
  exports: [PlansService],
})
export class PlansModule {}

import { Module } from '@nestjs/common';
import { EnrolmentsController } from './enrolments.controller';
import { PersonResolver, SubjectsResolver } from './subjects.resolver';
import { SubjectsService } from './subjects.service';

/** Enrolment and the subject queries; exports SubjectsService for the feature modules (lockForChange, findOne…). */
@Module({
  controllers: [EnrolmentsController],
  providers: [SubjectsService, SubjectsResolver, PersonResolver],
  exports: [SubjectsService],
})
export class SubjectsModule {}

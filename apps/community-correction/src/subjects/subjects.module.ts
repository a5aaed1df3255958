import { Module } from '@nestjs/common';
import { EnrolmentsController } from './enrolments.controller';
import { PersonResolver, SubjectsResolver } from './subjects.resolver';
import { SubjectsService } from './subjects.service';
import { SentenceReviewResolver } from './sentence-review.resolver';
import { SentenceReviewService } from './sentence-review.service';

/** Enrolment and the subject queries; exports SubjectsService for the feature modules (lockForChange, findOne…). */
@Module({
  controllers: [EnrolmentsController],
  providers: [SubjectsService, SubjectsResolver, PersonResolver, SentenceReviewService, SentenceReviewResolver],
  exports: [SubjectsService],
})
export class SubjectsModule {}

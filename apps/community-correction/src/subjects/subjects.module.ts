import { Module } from '@nestjs/common';
import { EnrolmentsController } from './enrolments.controller';
import { SubjectAccess } from './subject-access';
import { PersonResolver, SubjectsResolver } from './subjects.resolver';
import { SubjectsService } from './subjects.service';
import { SentenceReviewResolver } from './sentence-review.resolver';
import { SentenceReviewService } from './sentence-review.service';

/**
 * Enrolment and the subject queries. Exports SubjectAccess, the one way every feature reaches a subject
 * (visible or NOT_FOUND, locked for a change, the denial audited), and SubjectsService.
 */
@Module({
  controllers: [EnrolmentsController],
  providers: [SubjectsService, SubjectsResolver, PersonResolver, SubjectAccess, SentenceReviewService, SentenceReviewResolver],
  exports: [SubjectsService, SubjectAccess],
})
export class SubjectsModule {}

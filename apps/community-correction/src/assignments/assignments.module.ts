import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CASELOAD_SOURCE, CaseAssignmentStore } from '@homeward/platform';
import { SCHEMA } from '../migrations';
import { SubjectsModule } from '../subjects/subjects.module';
import { AssignmentsResolver } from './assignments.resolver';
import { AssignmentsService } from './assignments.service';

/**
 * Social worker assignments (issue 6 item 7). Global because it provides CASELOAD_SOURCE, which
 * the platform's AuthGuard reads to fill a social worker's caseload on every request.
 */
@Global()
@Module({
  imports: [SubjectsModule],
  providers: [
    { provide: CASELOAD_SOURCE, inject: [DataSource], useFactory: (ds: DataSource) => new CaseAssignmentStore(ds, SCHEMA) },
    AssignmentsService,
    AssignmentsResolver,
  ],
  exports: [CASELOAD_SOURCE, AssignmentsService],
})
export class AssignmentsModule {}

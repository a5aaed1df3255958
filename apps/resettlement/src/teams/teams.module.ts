import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CASELOAD_SOURCE, CaseAssignmentStore } from '@homeward/platform';
import { SCHEMA } from '../migrations';
import { TeamsResolver } from './teams.resolver';
import { TeamsService } from './teams.service';

/**
 * RS-6 assistance teams and plans. Global because it provides CASELOAD_SOURCE (resettlement's
 * `case_assignments`, written by the team's SOCIAL_WORKER members), which the platform's AuthGuard
 * reads to fill `Principal.caseload`.
 */
@Global()
@Module({
  providers: [
    { provide: CASELOAD_SOURCE, inject: [DataSource], useFactory: (ds: DataSource) => new CaseAssignmentStore(ds, SCHEMA) },
    TeamsService,
    TeamsResolver,
  ],
  exports: [CASELOAD_SOURCE, TeamsService],
})
export class TeamsModule {}

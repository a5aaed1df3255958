import { Module } from '@nestjs/common';
import { InvestigationDeadlinesRecomputer } from '../investigations/investigation-deadlines.recomputer';
import { MonitoringDeadlinesRecomputer } from '../monitoring/monitoring-deadlines.recomputer';
import { NoticeDeadlinesRecomputer } from '../procuratorate/notice-deadlines.recomputer';
import { SubjectDeadlinesRecomputer } from '../subjects/subject-deadlines.recomputer';
import { ReferenceDataService } from './reference-data.service';
import { ReferenceResolver } from './reference.resolver';

/**
 * Issue 7 item 10: the `reference` schema (holiday tables, towns, county boundary, correction
 * centres), loaded at boot into the domain registries and changed by a CITY_ADMIN. The deadline
 * recomputers live in the features that own the deadlines.
 */
@Module({
  providers: [ReferenceDataService, ReferenceResolver, SubjectDeadlinesRecomputer, InvestigationDeadlinesRecomputer, NoticeDeadlinesRecomputer, MonitoringDeadlinesRecomputer],
  exports: [ReferenceDataService],
})
export class ReferenceModule {}

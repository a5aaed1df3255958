import { DynamicModule, Module } from '@nestjs/common';
import { BusJobsModule, BusModule } from '@homeward/bus';
import { BusAdminModule, BusStatus } from '@homeward/platform/bus-admin';
import { Clock, PlatformModule, PlatformModuleOptions, ReadinessChecks, SubgraphModule, busConnection } from '@homeward/platform';
import { CorrectionConfig } from './config';
import { ENTITIES } from './entities';
import { MIGRATIONS, SCHEMA } from './migrations';
import { MonitoringModule } from './monitoring/monitoring.module';
import { LeaveModule } from './leave/leave.module';
import { InvestigationsModule } from './investigations/investigations.module';
import { ProcuratorateModule } from './procuratorate/procuratorate.module';
import { SubjectsModule } from './subjects/subjects.module';
import { SupervisionModule } from './supervision/supervision.module';
import { CheckInsModule } from './check-ins/check-ins.module';
import { SanctionsModule } from './sanctions/sanctions.module';
import { KeyPersonsModule } from './key-persons/key-persons.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { DocumentsModule } from './documents/documents.module';
import { ExitControlModule } from './exit-control/exit-control.module';
import { PlansModule } from './plans/plans.module';
import { RestorativeModule } from './restorative/restorative.module';
import { AssistanceModule } from './assistance/assistance.module';
import { ArchivesModule } from './archives/archives.module';
import { IndicatorsModule } from './indicators/indicators.module';
import { LabelsModule } from './labels/labels.module';
import { CaseloadModule } from './caseload/caseload.module';
import { CaseReportsModule } from './case-reports/case-reports.module';
import { PursuitsModule } from './pursuits/pursuits.module';
import { AssignmentsModule } from './assignments/assignments.module';
import { ReferenceModule } from './reference/reference.module';
import { AppAccountsModule } from './app-accounts/app-accounts.module';
import { SubjectAppModule } from './subject-app/subject-app.module';
import { TeamAppModule } from './team-app/team-app.module';
import { SocialForcesModule } from './social-forces/social-forces.module';
import { EducationActivitiesModule } from './education-activities/education-activities.module';
import { PsychServicesModule } from './psych-services/psych-services.module';

/** What a test may replace: the config (instead of process.env), the JWKS, the clock. */
export type AppOverrides = Pick<PlatformModuleOptions<CorrectionConfig>, 'configInstance' | 'jwks' | 'clock'>;

@Module({})
export class AppModule {
  static forRoot(overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({
          service: 'community-correction',
          schema: SCHEMA,
          config: CorrectionConfig,
          entities: ENTITIES,
          migrations: MIGRATIONS,
          partnerApi: true,
          ...overrides,
        }),
        SubgraphModule.forService({ service: 'community-correction', orphanedTypes: [BusStatus] }),
        BusModule.forService({ service: 'community-correction', schema: SCHEMA, clock: Clock, ...busConnection(overrides.configInstance) }),
        BusJobsModule.forRoot({ readiness: ReadinessChecks }),
        BusAdminModule.forService({ field: 'correction', service: 'community-correction' }),
        ReferenceModule,
        SubjectsModule,
        SupervisionModule,
        CheckInsModule,
        SanctionsModule,
        KeyPersonsModule,
        LifecycleModule,
        DocumentsModule,
        ExitControlModule,
        PlansModule,
        RestorativeModule,
        AssistanceModule,
        ArchivesModule,
        CaseReportsModule,
        PursuitsModule,
        IndicatorsModule,
        LabelsModule,
        CaseloadModule,
        AssignmentsModule,
        MonitoringModule,
        LeaveModule,
        InvestigationsModule,
        ProcuratorateModule,
        AppAccountsModule,
        SubjectAppModule,
        TeamAppModule,
        SocialForcesModule,
        EducationActivitiesModule,
        PsychServicesModule,
      ],
    };
  }
}

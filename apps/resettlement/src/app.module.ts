import { DynamicModule, Module } from '@nestjs/common';
import { BusJobsModule, BusModule } from '@homeward/bus';
import { BusAdminModule, BusStatus } from '@homeward/platform/bus-admin';
import { Clock, PlatformModule, PlatformModuleOptions, ReadinessChecks, ReferenceLoader, SubgraphModule, busConnection } from '@homeward/platform';
import { AssistanceCasesService } from './cases/assistance-cases.service';
import { PersonResettlementResolver } from './cases/assistance-cases.resolver';
import { ResettlementCaseResolver } from './cases/case.resolver';
import { ResettlementConfig } from './config';
import { ENTITIES } from './entities';
import { MIGRATIONS, SCHEMA } from './migrations';
import { NoticesModule } from './notices/notices.module';
import { ReleasesModule } from './releases/releases.module';
import { ReoffencesModule } from './reoffences/reoffences.module';
import { VideoVisitsModule } from './video-visits/video-visits.module';
import { FundModule } from './fund/fund.module';
import { AssessmentsModule } from './assessments/assessments.module';
import { AgreementsModule } from './agreements/agreements.module';
import { WelfareModule } from './welfare/welfare.module';
import { OutreachModule } from './outreach/outreach.module';
import { ResettlementIndicatorsModule } from './indicators/indicators.module';
import { PushModule } from './push/push.module';
import { DisputesModule } from './disputes/disputes.module';
import { TeamsModule } from './teams/teams.module';

/** What a test may replace: the config (instead of process.env), the JWKS, the clock. */
export type AppOverrides = Pick<PlatformModuleOptions<ResettlementConfig>, 'configInstance' | 'jwks' | 'clock'>;

@Module({})
export class AppModule {
  static forRoot(overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'resettlement', schema: SCHEMA, config: ResettlementConfig, entities: ENTITIES, migrations: MIGRATIONS, partnerApi: true, ...overrides }),
        SubgraphModule.forService({ service: 'resettlement', orphanedTypes: [BusStatus] }),
        BusModule.forService({ service: 'resettlement', schema: SCHEMA, clock: Clock, ...busConnection(overrides.configInstance) }),
        NoticesModule,
        ReleasesModule,
        ReoffencesModule,
        VideoVisitsModule,
        FundModule,
        AssessmentsModule,
        AgreementsModule,
        WelfareModule,
        OutreachModule,
        DisputesModule,
        TeamsModule,
        ResettlementIndicatorsModule,
        BusJobsModule.forRoot({ readiness: ReadinessChecks }),
        PushModule,
        BusAdminModule.forService({ field: 'resettlement', service: 'resettlement' }),
      ],
      // The holiday tables and towns in force (a CITY_ADMIN's change in community-correction's reference schema).
      providers: [AssistanceCasesService, PersonResettlementResolver, ResettlementCaseResolver, ReferenceLoader],
    };
  }
}

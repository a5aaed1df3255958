import { DynamicModule, Module } from '@nestjs/common';
import { BusJobsModule, BusModule } from '@homeward/bus';
import { BusAdminModule, BusStatus } from '@homeward/platform/bus-admin';
import { Clock, PlatformModule, PlatformModuleOptions, ReadinessChecks, ReferenceLoader, SubgraphModule, busConnection } from '@homeward/platform';
import { AftercareCasesModule } from './cases/cases.module';
import { AftercareConfig } from './config';
import { ENTITIES } from './entities';
import { MIGRATIONS, SCHEMA } from './migrations';
import { ReleaseNoticesModule } from './notices/release-notices.module';
import { DrugTestsModule } from './drug-tests/drug-tests.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { StationModule } from './station/station.module';
import { CommunityRehabModule } from './community-rehab/community-rehab.module';
import { AftercareIndicatorsModule } from './indicators/indicators.module';
import { LedgersModule } from './ledgers/ledgers.module';
import { SuccessCasesModule } from './success-cases/success-cases.module';
import { WorkLogModule } from './work-log/work-log.module';

/** What a test may replace: the config (instead of process.env), the JWKS, the clock. */
export type AppOverrides = Pick<PlatformModuleOptions<AftercareConfig>, 'configInstance' | 'jwks' | 'clock'>;

@Module({})
export class AppModule {
  static forRoot(overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'aftercare', schema: SCHEMA, config: AftercareConfig, entities: ENTITIES, migrations: MIGRATIONS, partnerApi: true, ...overrides }),
        SubgraphModule.forService({ service: 'aftercare', orphanedTypes: [BusStatus] }),
        BusModule.forService({ service: 'aftercare', schema: SCHEMA, clock: Clock, ...busConnection(overrides.configInstance) }),
        BusJobsModule.forRoot({ readiness: ReadinessChecks }),
        AftercareCasesModule,
        ReleaseNoticesModule,
        DrugTestsModule,
        FollowUpsModule,
        StationModule,
        CommunityRehabModule,
        BusAdminModule.forService({ field: 'aftercare', service: 'aftercare' }),
        SuccessCasesModule,
        WorkLogModule,
        LedgersModule,
        AftercareIndicatorsModule,
      ],
      // The holiday tables and towns in force (a CITY_ADMIN's change in community-correction's reference schema).
      providers: [ReferenceLoader],
    };
  }
}

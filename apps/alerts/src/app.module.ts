import { DynamicModule, Module } from '@nestjs/common';
import { BusJobsModule, BusModule } from '@homeward/bus';
import { BusAdminModule, BusStatus } from '@homeward/platform/bus-admin';
import { Clock, PlatformModule, PlatformModuleOptions, ReadinessChecks, ReferenceLoader, SubgraphModule, busConnection } from '@homeward/platform';
import { AlertsConfig } from './config';
import { ENTITIES } from './entities';
import { MIGRATIONS, SCHEMA } from './migrations';
import { AlertsResolver } from './alerts/alerts.resolver';
import { AlertsService } from './alerts/alerts.service';
import { BusEventsHandler } from './alerts/bus-events.handler';
import { PersonAlertsResolver } from './alerts/person-alerts.resolver';
import { CorrectionEventsHandler } from './deadlines/correction-events.handler';
import { RecomputedDeadlinesHandler } from './deadlines/recomputed-deadlines.handler';
import { DeadlineScheduler } from './deadlines/deadline-scheduler';
import { WatchesService } from './deadlines/watches.service';
import { DeadlinesService } from './deadlines/deadlines.service';
import { SupervisionAlertsHandler } from './rules/supervision.handler';
import { MonitoringAlertsHandler } from './rules/monitoring.handler';
import { CaseworkAlertsHandler } from './rules/casework.handler';
import { TransferAlertsHandler } from './rules/transfer.handler';
import { ResettlementAlertsHandler } from './rules/resettlement.handler';
import { AftercareAlertsHandler } from './rules/aftercare.handler';
import { PsychCrisisAlertsHandler } from './rules/psych-crisis.handler';
import { AssignmentsMirrorModule } from './assignments/assignments-mirror.module';
import { RosterService } from './roster/roster.service';
import { RosterResolver } from './roster/roster.resolver';
import { EscalationService } from './escalation/escalation.service';
import { EscalationScheduler } from './escalation/escalation-scheduler';
import { AlertEscalationsResolver } from './escalation/escalation.resolver';
import { OperationsAlertsService } from './operations/operations-alerts.service';
import { OperationsAlertsResolver } from './operations/operations-alerts.resolver';
import { PeriodsService } from './periods/periods.service';
import { PeriodsResolver } from './periods/periods.resolver';
import { DailyCheckInsService } from './periods/daily-checkins.service';
import { RankingService } from './ranking/ranking.service';
import { CommandCentreService } from './command-centre/command-centre.service';
import { CommandCentreResolver } from './command-centre/command-centre.resolver';
import { RankingResolver } from './ranking/ranking.resolver';
import { IndicatorSnapshotsHandler } from './ranking/indicator-snapshots.handler';
import { RankingExportController } from './ranking/ranking-export.controller';
import { LiveAlertsResolver } from './live/live-alerts.resolver';
import { LiveFeedHub } from './live/live-feed.hub';
import { LiveFeedPublisher } from './live/live-feed.publisher';
import { LiveFeedServer } from './live/live-feed.server';

/** What a test may replace: the config (instead of process.env), the JWKS, the clock. */
export type AppOverrides = Pick<PlatformModuleOptions<AlertsConfig>, 'configInstance' | 'jwks' | 'clock'>;

@Module({})
export class AppModule {
  static forRoot(overrides: AppOverrides = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forService({ service: 'alerts', schema: SCHEMA, config: AlertsConfig, entities: ENTITIES, migrations: MIGRATIONS, ...overrides }),
        SubgraphModule.forService({ service: 'alerts', orphanedTypes: [BusStatus], subscriptions: true }),
        BusModule.forService({ service: 'alerts', schema: SCHEMA, clock: Clock, ...busConnection(overrides.configInstance) }),
        BusJobsModule.forRoot({ readiness: ReadinessChecks }),
        BusAdminModule.forService({ field: 'alerts', service: 'alerts', root: true }),
        AssignmentsMirrorModule,
      ],
      controllers: [RankingExportController],
      providers: [
        AlertsService,
        AlertsResolver,
        PersonAlertsResolver,
        DeadlinesService,
        DeadlineScheduler,
        WatchesService,
        CorrectionEventsHandler,
        RecomputedDeadlinesHandler,
        ReferenceLoader,
        BusEventsHandler,
        SupervisionAlertsHandler,
        MonitoringAlertsHandler,
        CaseworkAlertsHandler,
        TransferAlertsHandler,
        ResettlementAlertsHandler,
        AftercareAlertsHandler,
        PsychCrisisAlertsHandler,
        RosterService,
        RosterResolver,
        EscalationService,
        EscalationScheduler,
        AlertEscalationsResolver,
        OperationsAlertsService,
        OperationsAlertsResolver,
        PeriodsService,
        PeriodsResolver,
        DailyCheckInsService,
        RankingService,
        CommandCentreService,
        CommandCentreResolver,
        RankingResolver,
        IndicatorSnapshotsHandler,
        LiveFeedPublisher,
        LiveFeedHub,
        LiveFeedServer,
        LiveAlertsResolver,
      ],
    };
  }
}

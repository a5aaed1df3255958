import { Module } from '@nestjs/common';
import { AftercareCasesModule } from '../cases/cases.module';
import { DrugTestsModule } from '../drug-tests/drug-tests.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { StationListsService } from './station-lists.service';
import { StationResolver } from './station.resolver';

/** The town service station's staff GraphQL (issue 10 item 9): lists, the case page, mutations. */
@Module({
  imports: [AftercareCasesModule, FollowUpsModule, DrugTestsModule],
  providers: [StationListsService, StationResolver],
})
export class StationModule {}

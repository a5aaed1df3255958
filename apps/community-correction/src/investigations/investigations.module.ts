import { Module } from '@nestjs/common';
import { InvestigationRequestsController } from './investigation-requests.controller';
import { InvestigationsResolver } from './investigations.resolver';
import { InvestigationsService } from './investigations.service';

/** CC-14 investigation assessments (调查评估): partner REST and staff GraphQL. */
@Module({ controllers: [InvestigationRequestsController], providers: [InvestigationsService, InvestigationsResolver] })
export class InvestigationsModule {}

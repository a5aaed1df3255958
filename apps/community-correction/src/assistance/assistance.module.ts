import { Module } from '@nestjs/common';
import { AssistanceResolver } from './assistance.resolver';
import { AssistanceService } from './assistance.service';

/** CC-18 assistance (帮扶救助) and disputes (矛盾纠纷); exports AssistanceService.assistanceCounts for K-CC3. */
@Module({ providers: [AssistanceService, AssistanceResolver], exports: [AssistanceService] })
export class AssistanceModule {}

import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { AssistanceResolver } from './assistance.resolver';
import { AssistanceService } from './assistance.service';

/** CC-18 assistance (帮扶救助) and disputes (矛盾纠纷); exports AssistanceService.assistanceCounts for K-CC3. */
@Module({ imports: [SubjectsModule], providers: [AssistanceService, AssistanceResolver], exports: [AssistanceService] })
export class AssistanceModule {}

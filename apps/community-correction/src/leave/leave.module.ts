import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { TransfersModule } from '../transfers/transfers.module';
import { LeaveResolver } from './leave.resolver';
import { LeaveService } from './leave.service';

/** CC-13 leave (外出) and change of residence (变更执行地). */
@Module({ imports: [SubjectsModule, TransfersModule], providers: [LeaveService, LeaveResolver] })
export class LeaveModule {}

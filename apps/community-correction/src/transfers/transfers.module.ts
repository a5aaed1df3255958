import { Module } from '@nestjs/common';
import { TransfersResolver } from './transfers.resolver';
import { TransfersScheduler } from './transfers.scheduler';
import { TransfersService } from './transfers.service';

/** CC-13: a change of residence moves the case (issue 7 item 9). AssignmentsService comes from the global AssignmentsModule. */
@Module({
  providers: [TransfersService, TransfersScheduler, TransfersResolver],
  exports: [TransfersService],
})
export class TransfersModule {}

import { Module } from '@nestjs/common';
import { WorkLogResolver } from './work-log.resolver';
import { WorkLogService } from './work-log.service';

/** AC-7 the station's work log (工作日志). */
@Module({ providers: [WorkLogService, WorkLogResolver], exports: [WorkLogService] })
export class WorkLogModule {}

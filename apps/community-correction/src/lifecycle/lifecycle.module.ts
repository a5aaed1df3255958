import { Module } from '@nestjs/common';
import { ExitControlModule } from '../exit-control/exit-control.module';
import { MonitoringModule } from '../monitoring/monitoring.module';
import { SubjectsModule } from '../subjects/subjects.module';
import { LifecycleResolver } from './lifecycle.resolver';
import { LifecycleService } from './lifecycle.service';

/** CC-2 … CC-5: report-in, intake checklist, activation, discharge, termination, ABSCONDED. */
@Module({
  imports: [SubjectsModule, ExitControlModule, MonitoringModule],
  providers: [LifecycleService, LifecycleResolver],
  exports: [LifecycleService],
})
export class LifecycleModule {}

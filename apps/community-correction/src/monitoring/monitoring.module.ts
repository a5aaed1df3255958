import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { LocationFixesController } from './location-fixes.controller';
import { MonitoringResolver } from './monitoring.resolver';
import { MonitoringService } from './monitoring.service';
import { SilentDeviceScheduler } from './silent-device.scheduler';

/** CC-12 electronic location: approvals, extensions, location fixes, breach and device-silent detection. */
@Module({
  imports: [SubjectsModule],
  controllers: [LocationFixesController],
  providers: [MonitoringService, MonitoringResolver, SilentDeviceScheduler],
  exports: [MonitoringService],
})
export class MonitoringModule {}

import { Module } from '@nestjs/common';
import { ReleaseNoticesController } from './release-notices.controller';
import { ReleaseNoticesService } from './release-notices.service';
import { AftercareCityQueueResolver } from './city-queue.resolver';

/** AC-1: release notices from rehabilitation centres, matched to a service station or the city queue. */
@Module({
  controllers: [ReleaseNoticesController],
  providers: [ReleaseNoticesService, AftercareCityQueueResolver],
  exports: [ReleaseNoticesService],
})
export class ReleaseNoticesModule {}

import { Module } from '@nestjs/common';
import { PreReleaseNoticesController } from './pre-release-notices.controller';
import { NoticesService } from './notices.service';
import { NoticesResolver } from './notices.resolver';

/** RS-1 … RS-3: pre-release notices, verification, receipts, key-person categories. */
@Module({
  controllers: [PreReleaseNoticesController],
  providers: [NoticesService, NoticesResolver],
  exports: [NoticesService],
})
export class NoticesModule {}

import { Module } from '@nestjs/common';
import { AftercareCasesModule } from '../cases/cases.module';
import { CommunityRehabResolver } from './community-rehab.resolver';
import { CommunityRehabService } from './community-rehab.service';

/** AC-5: community rehabilitation (社区康复) periods of an aftercare case. */
@Module({
  imports: [AftercareCasesModule],
  providers: [CommunityRehabService, CommunityRehabResolver],
})
export class CommunityRehabModule {}

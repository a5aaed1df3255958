import { Module } from '@nestjs/common';
import { AftercareCasesModule } from '../cases/cases.module';
import { DrugTestsModule } from '../drug-tests/drug-tests.module';
import { FollowUpsService } from './follow-ups.service';

/** AC-3: monthly phone and quarterly face-to-face follow-ups. */
@Module({
  imports: [AftercareCasesModule, DrugTestsModule],
  providers: [FollowUpsService],
  exports: [FollowUpsService],
})
export class FollowUpsModule {}

import { Module } from '@nestjs/common';
import { AftercareCasesModule } from '../cases/cases.module';
import { DrugTestResultsController } from './drug-test-results.controller';
import { DrugTestsService } from './drug-tests.service';
import { SeriousBreachesController } from './serious-breaches.controller';

/** AC-4: drug tests from police and follow-ups, relapse, serious breach. */
@Module({
  imports: [AftercareCasesModule],
  controllers: [DrugTestResultsController, SeriousBreachesController],
  providers: [DrugTestsService],
  exports: [DrugTestsService],
})
export class DrugTestsModule {}

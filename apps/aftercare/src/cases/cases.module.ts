import { Module } from '@nestjs/common';
import { PersonAftercareResolver } from './aftercare-cases.resolver';
import { AftercareCasesService } from './aftercare-cases.service';

/** The aftercare case: AC-2 enrolment on first contact, AC-5 closure, `Person.aftercareCases`. */
@Module({
  providers: [AftercareCasesService, PersonAftercareResolver],
  exports: [AftercareCasesService],
})
export class AftercareCasesModule {}

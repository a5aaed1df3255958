import { Module } from '@nestjs/common';
import { SubjectsModule } from '../subjects/subjects.module';
import { SupervisionPolicyProvider } from './supervision-policy';
import { SupervisionResolver } from './supervision.resolver';
import { SupervisionService } from './supervision.service';

/** CC-8 supervision levels; exports what check-ins and sanctions build on. */
@Module({
  imports: [SubjectsModule],
  providers: [SupervisionService, SupervisionResolver, SupervisionPolicyProvider],
  exports: [SupervisionService, SupervisionPolicyProvider],
})
export class SupervisionModule {}

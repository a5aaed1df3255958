import { Module } from '@nestjs/common';
import { SubjectAccess } from './subject-access';
import { SupervisionPolicyProvider } from './supervision-policy';
import { SupervisionResolver } from './supervision.resolver';
import { SupervisionService } from './supervision.service';

/** CC-8 supervision levels; exports what check-ins and sanctions build on. */
@Module({
  providers: [SupervisionService, SupervisionResolver, SupervisionPolicyProvider, SubjectAccess],
  exports: [SupervisionService, SupervisionPolicyProvider, SubjectAccess],
})
export class SupervisionModule {}

import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS } from '@homeward/platform';
import { ResettlementCaseType, toCaseType } from '../cases/case.types';
import { WelfareService } from './welfare.service';
import {
  DecideWelfareReferralInput,
  EmploymentServiceType,
  RecordEmploymentServiceInput,
  ReferWelfareInput,
  SetResettlementStatusInput,
  WelfareReferralType,
  toEmploymentServiceType,
  toWelfareReferralType,
} from './welfare.types';

@Resolver(() => WelfareReferralType)
export class WelfareResolver {
  constructor(private readonly welfare: WelfareService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => WelfareReferralType, { description: 'RS-7: refer to a welfare scheme / 社会救助转介' })
  async referWelfare(@CurrentPrincipal() caller: Principal, @Args('input') input: ReferWelfareInput) {
    return toWelfareReferralType(await this.welfare.refer(caller, input.caseId, input.kind, input.note));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => WelfareReferralType, { description: 'RS-7: record the scheme\'s decision / 登记救助结果' })
  async decideWelfareReferral(@CurrentPrincipal() caller: Principal, @Args('input') input: DecideWelfareReferralInput) {
    return toWelfareReferralType(await this.welfare.decide(caller, input.referralId, input.status, input.note));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => EmploymentServiceType, { description: 'RS-7: record an employment service / 登记就业服务' })
  async recordEmploymentService(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordEmploymentServiceInput) {
    return toEmploymentServiceType(await this.welfare.recordEmploymentService(caller, input.caseId, input.kind, input.providedOn, input.note));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ResettlementCaseType, { description: 'RS-7: set the resettlement status / 登记安置情况' })
  async setResettlementStatus(@CurrentPrincipal() caller: Principal, @Args('input') input: SetResettlementStatusInput) {
    return toCaseType(await this.welfare.setResettlementStatus(caller, input.caseId, input.status, input.since));
  }
}

import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_READERS } from '@homeward/platform';
import { CaseDisputeType, RecordResettlementDisputeInput, toCaseDisputeType } from './dispute.types';
import { DisputesService } from './disputes.service';

@Resolver(() => CaseDisputeType)
export class DisputesResolver {
  constructor(private readonly disputes: DisputesService) {}

  /** The town office, or the person's social worker (its caseload), records what it found. */
  @Roles(...STAFF_READERS)
  @Mutation(() => CaseDisputeType, { description: 'RS-13: record a dispute on an assistance case; pushed as DISPUTE / 登记矛盾纠纷' })
  async recordResettlementDispute(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordResettlementDisputeInput) {
    return toCaseDisputeType(await this.disputes.record(caller, input));
  }
}

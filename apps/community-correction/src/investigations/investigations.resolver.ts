import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { Clock, CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, toConnection } from '@homeward/platform';
import {
  AssignInvestigationTownInput,
  CompleteInvestigationInput,
  ExtendInvestigationInput,
  InvestigationConnection,
  InvestigationType,
  InvestigationsArgs,
  toInvestigationType,
} from './investigation.types';
import { InvestigationsService } from './investigations.service';

@Resolver(() => InvestigationType)
export class InvestigationsResolver {
  constructor(
    private readonly service: InvestigationsService,
    private readonly clock: Clock,
  ) {}

  @Roles(...STAFF_READERS)
  @Query(() => InvestigationType, { nullable: true })
  async investigation(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string) {
    const row = await this.service.findOne(caller, id);
    return row ? toInvestigationType(row, this.clock.today()) : null;
  }

  @Roles(...STAFF_READERS)
  @Query(() => InvestigationConnection, { description: 'CC-14: investigation assessments in the caller\'s towns' })
  async investigations(@CurrentPrincipal() caller: Principal, @Args() args: InvestigationsArgs): Promise<InvestigationConnection> {
    const page = await this.service.list(caller, args);
    const today = this.clock.today();
    return toConnection(page, (i) => toInvestigationType(i, today));
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => InvestigationType, { description: 'CC-14: give the assessment to a town\'s justice office / 指派司法所' })
  async assignInvestigationTown(@CurrentPrincipal() caller: Principal, @Args('input') input: AssignInvestigationTownInput) {
    return toInvestigationType(await this.service.assignTown(caller, input), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => InvestigationType, { description: 'CC-14: extend by agreement / 经协商延期' })
  async extendInvestigation(@CurrentPrincipal() caller: Principal, @Args('input') input: ExtendInvestigationInput) {
    return toInvestigationType(await this.service.extend(caller, input), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => InvestigationType, { description: 'CC-14: opinion and report / 出具评估意见' })
  async completeInvestigation(@CurrentPrincipal() caller: Principal, @Args('input') input: CompleteInvestigationInput) {
    return toInvestigationType(await this.service.complete(caller, input), this.clock.today());
  }
}

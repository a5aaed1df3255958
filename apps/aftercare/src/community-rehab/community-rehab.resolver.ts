import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Clock, CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_WRITERS, fieldLoader } from '@homeward/platform';
import { AftercareCaseType, toCaseType } from '../cases/aftercare-case.types';
import { CommunityRehabPeriod } from './community-rehab-period.entity';
import { CommunityRehabService } from './community-rehab.service';
import {
  CommunityRehabEndingArgs,
  CommunityRehabEndingType,
  CommunityRehabPeriodType,
  EndCommunityRehabilitationInput,
  StartCommunityRehabilitationInput,
  toPeriodType,
} from './community-rehab.types';

/** AC-5: community rehabilitation (社区康复) on the case page, its mutations and the station's ending list. */
@Resolver(() => AftercareCaseType)
export class CommunityRehabResolver {
  constructor(
    private readonly service: CommunityRehabService,
    private readonly clock: Clock,
  ) {}

  @ResolveField(() => [CommunityRehabPeriodType], { description: 'AC-5 社区康复, oldest first (at most one open)' })
  async communityRehabilitationPeriods(@Parent() c: AftercareCaseType, @Context() ctx: LoaderContext) {
    const rows = await fieldLoader<CommunityRehabPeriod[]>(ctx, 'aftercareCase.communityRehabilitationPeriods', (ids) => this.service.periodsByCaseIds(ids), []).load(c.id);
    const today = this.clock.today();
    return rows.map((p) => toPeriodType(p, today));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CommunityRehabPeriodType, { description: 'AC-5: a community rehabilitation decided for the case (≤ 36 months, cfg) / 登记社区康复' })
  async startCommunityRehabilitation(@CurrentPrincipal() caller: Principal, @Args('input') input: StartCommunityRehabilitationInput) {
    return toPeriodType(await this.service.start(caller, input), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CommunityRehabPeriodType, { description: 'AC-5: the open community rehabilitation ended / 社区康复结束' })
  async endCommunityRehabilitation(@CurrentPrincipal() caller: Principal, @Args('input') input: EndCommunityRehabilitationInput) {
    return toPeriodType(await this.service.end(caller, input), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => [CommunityRehabEndingType], { description: 'AC-5: open community rehabilitations whose planned end is within withinDays (default 30; past ones included), the soonest first / 社区康复即将期满' })
  async communityRehabilitationsEnding(@CurrentPrincipal() caller: Principal, @Args() args: CommunityRehabEndingArgs): Promise<CommunityRehabEndingType[]> {
    const today = this.clock.today();
    return (await this.service.ending(caller, args.withinDays, args.town)).map(({ period, kase }) => ({ period: toPeriodType(period, today), aftercareCase: toCaseType(kase, today) }));
  }
}

import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Clock, CurrentPrincipal, Principal, Roles, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { ReleasesService } from './releases.service';
import { RecordPickUpInput, ReleaseConnection, ReleaseType, TownListArgs, toReleaseType } from './release.types';

@Resolver(() => ReleaseType)
export class ReleasesResolver {
  constructor(
    private readonly releases: ReleasesService,
    private readonly clock: Clock,
  ) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => ReleaseConnection, { description: 'RS-5: key persons released and not yet picked up, earliest due first / 重点人员未接回' })
  async pickUpsMissing(@CurrentPrincipal() caller: Principal, @Args() args: TownListArgs): Promise<ReleaseConnection> {
    const page = await this.releases.pickUpsMissing(caller, args);
    const today = this.clock.today();
    return toConnection(page, (r) => toReleaseType(r, today), page.cursorOf);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ReleaseType, { description: 'RS-5: record the pick-up / 登记接回' })
  async recordPickUp(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordPickUpInput) {
    return toReleaseType(await this.releases.recordPickUp(caller, input), this.clock.today());
  }
}

import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { Clock, CurrentPrincipal, Principal, Roles, encodeCursor } from '@homeward/platform';
import { ProcuratorateNoticeConnection, ProcuratorateNoticeType, ProcuratorateNoticesArgs, ReplyProcuratorateNoticeInput, toNoticeType } from './procuratorate.types';
import { ProcuratorateService } from './procuratorate.service';

@Resolver(() => ProcuratorateNoticeType)
export class ProcuratorateResolver {
  constructor(
    private readonly service: ProcuratorateService,
    private readonly clock: Clock,
  ) {}

  @Roles(Role.CITY_ADMIN, Role.TOWN_OFFICER, Role.SOCIAL_WORKER)
  @Query(() => ProcuratorateNoticeConnection, { description: 'CC-16: procuratorate notices in the caller\'s towns' })
  async procuratorateNotices(@CurrentPrincipal() caller: Principal, @Args() args: ProcuratorateNoticesArgs): Promise<ProcuratorateNoticeConnection> {
    const page = await this.service.list(caller, args);
    const today = this.clock.today();
    return {
      totalCount: page.totalCount,
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      edges: page.items.map((n) => ({ cursor: encodeCursor(n), node: toNoticeType(n, today) })),
    };
  }

  @Roles(Role.CITY_ADMIN, Role.TOWN_OFFICER)
  @Mutation(() => ProcuratorateNoticeType, { description: 'CC-16: reply / 回复检察建议' })
  async replyProcuratorateNotice(@CurrentPrincipal() caller: Principal, @Args('input') input: ReplyProcuratorateNoticeInput) {
    return toNoticeType(await this.service.reply(caller, input), this.clock.today());
  }
}

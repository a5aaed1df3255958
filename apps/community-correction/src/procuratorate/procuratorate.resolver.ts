import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Clock, CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { ProcuratorateNoticeConnection, ProcuratorateNoticeType, ProcuratorateNoticesArgs, ReplyProcuratorateNoticeInput, toNoticeType } from './procuratorate.types';
import { ProcuratorateService } from './procuratorate.service';

@Resolver(() => ProcuratorateNoticeType)
export class ProcuratorateResolver {
  constructor(
    private readonly service: ProcuratorateService,
    private readonly clock: Clock,
  ) {}

  @Roles(...STAFF_READERS)
  @Query(() => ProcuratorateNoticeConnection, { description: 'CC-16: procuratorate notices in the caller\'s towns' })
  async procuratorateNotices(@CurrentPrincipal() caller: Principal, @Args() args: ProcuratorateNoticesArgs): Promise<ProcuratorateNoticeConnection> {
    const page = await this.service.list(caller, args);
    const today = this.clock.today();
    return toConnection(page, (n) => toNoticeType(n, today));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ProcuratorateNoticeType, { description: 'CC-16: reply / 回复检察建议' })
  async replyProcuratorateNotice(@CurrentPrincipal() caller: Principal, @Args('input') input: ReplyProcuratorateNoticeInput) {
    return toNoticeType(await this.service.reply(caller, input), this.clock.today());
  }
}

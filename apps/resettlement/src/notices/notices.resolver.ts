import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { Clock, CurrentPrincipal, Principal, Roles, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { NoticesService } from './notices.service';
import {
  AssignNoticeTownInput,
  ChangeKeyCategoriesInput,
  CityNoticeQueueArgs,
  NoticesToHandleArgs,
  PreReleaseNoticeConnection,
  PreReleaseNoticeType,
  VerifyPreReleaseNoticeInput,
  toNoticeType,
} from './notice.types';

@Resolver(() => PreReleaseNoticeType)
export class NoticesResolver {
  constructor(
    private readonly notices: NoticesService,
    private readonly clock: Clock,
  ) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => PreReleaseNoticeType, { description: 'RS-1: one notice of the caller\'s towns (the city queue: CITY_ADMIN) / 预释放人员信息' })
  async preReleaseNotice(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string) {
    return toNoticeType(await this.notices.read(caller, id), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => PreReleaseNoticeConnection, { description: 'RS-2: notices to verify or whose receipt is to send, soonest release first / 待核查、待回执' })
  async noticesToHandle(@CurrentPrincipal() caller: Principal, @Args() args: NoticesToHandleArgs): Promise<PreReleaseNoticeConnection> {
    const page = await this.notices.toHandle(caller, args);
    const today = this.clock.today();
    return toConnection(page, (n) => toNoticeType(n, today), page.cursorOf);
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => PreReleaseNoticeConnection, { description: 'RS-5: persons the prisons expect to release today and in the next 6 days, soonest first / 本周释放' })
  async releasesThisWeek(@CurrentPrincipal() caller: Principal, @Args() args: NoticesToHandleArgs): Promise<PreReleaseNoticeConnection> {
    const page = await this.notices.expectedThisWeek(caller, args);
    const today = this.clock.today();
    return toConnection(page, (n) => toNoticeType(n, today), page.cursorOf);
  }

  @Roles(Role.CITY_ADMIN)
  @Query(() => PreReleaseNoticeConnection, { description: 'RS-1: notices that matched no town, soonest release first / 市局待分配' })
  async cityNoticeQueue(@CurrentPrincipal() caller: Principal, @Args() args: CityNoticeQueueArgs): Promise<PreReleaseNoticeConnection> {
    const rows = await this.notices.list(caller, { limit: args.first + 1 }, true);
    const items = rows.slice(0, args.first);
    const today = this.clock.today();
    return toConnection({ items, totalCount: items.length, hasNextPage: rows.length > args.first }, (n) => toNoticeType(n, today));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PreReleaseNoticeType, { description: 'RS-2: record the verification / 核查' })
  async verifyPreReleaseNotice(@CurrentPrincipal() caller: Principal, @Args('input') input: VerifyPreReleaseNoticeInput) {
    return toNoticeType(await this.notices.verify(caller, input), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PreReleaseNoticeType, { description: 'RS-2: send the receipt to the prison / 发送衔接回执' })
  async sendNoticeReceipt(@CurrentPrincipal() caller: Principal, @Args('noticeId', { type: () => ID }) noticeId: string) {
    return toNoticeType(await this.notices.sendReceipt(caller, noticeId), this.clock.today());
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => PreReleaseNoticeType, { description: 'RS-1: give the notice a town / 指定镇街' })
  async assignNoticeTown(@CurrentPrincipal() caller: Principal, @Args('input') input: AssignNoticeTownInput) {
    return toNoticeType(await this.notices.assignTown(caller, input.noticeId, input.town, input.reason), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PreReleaseNoticeType, { description: 'RS-3: change the key-person categories / 变更重点人员类别' })
  async changeKeyCategories(@CurrentPrincipal() caller: Principal, @Args('input') input: ChangeKeyCategoriesInput) {
    return toNoticeType(await this.notices.changeKeyCategories(caller, input.noticeId, input.categories, input.reason), this.clock.today());
  }
}

import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { VideoVisitsService } from './video-visits.service';
import {
  AddVisitTerminalInput,
  ConfirmVideoVisitInput,
  FinishVideoVisitInput,
  RequestFamilyVisitInput,
  VideoVisitConnection,
  VideoVisitType,
  VideoVisitsTodayArgs,
  VisitTerminalType,
  toTerminalType,
  toVideoVisitType,
} from './video-visit.types';

@Resolver(() => VideoVisitType)
export class VideoVisitsResolver {
  constructor(private readonly visits: VideoVisitsService) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => VideoVisitConnection, { description: 'RS-10: today\'s visits (requested or confirmed) at the caller\'s offices, earliest first / 今日会见' })
  async videoVisitsToday(@CurrentPrincipal() caller: Principal, @Args() args: VideoVisitsTodayArgs): Promise<VideoVisitConnection> {
    const page = await this.visits.today(caller, args);
    return toConnection(page, toVideoVisitType, page.cursorOf);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VisitTerminalType, { description: 'RS-10: add a terminal at a town office / 新增会见终端' })
  async addVisitTerminal(@CurrentPrincipal() caller: Principal, @Args('input') i: AddVisitTerminalInput) {
    return toTerminalType(await this.visits.addTerminal(caller, i.town, i.name));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VideoVisitType, { description: 'RS-10: a family\'s request at the office / 家属申请会见' })
  async requestFamilyVisit(@CurrentPrincipal() caller: Principal, @Args('input') i: RequestFamilyVisitInput) {
    return toVideoVisitType(await this.visits.requestByFamily(caller, i));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VideoVisitType, { description: 'RS-10: confirm on a terminal / 确认会见' })
  async confirmVideoVisit(@CurrentPrincipal() caller: Principal, @Args('input') i: ConfirmVideoVisitInput) {
    return toVideoVisitType(await this.visits.confirm(caller, i.visitId, i.terminalId));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => VideoVisitType, { description: 'RS-10: record how the visit ended / 登记会见结果' })
  async finishVideoVisit(@CurrentPrincipal() caller: Principal, @Args('input') i: FinishVideoVisitInput) {
    return toVideoVisitType(await this.visits.finish(caller, i.visitId, i.status, i.outcome));
  }
}

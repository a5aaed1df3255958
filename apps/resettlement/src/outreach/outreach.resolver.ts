import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS } from '@homeward/platform';
import { OutreachService } from './outreach.service';
import { AddSocialWorkerInput, EndSocialWorkerInput, OutreachVisitType, RecordOutreachVisitInput, SocialWorkerType, toOutreachVisitType, toSocialWorkerType } from './outreach.types';

@Resolver(() => OutreachVisitType)
export class OutreachResolver {
  constructor(private readonly outreach: OutreachService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => OutreachVisitType, { description: 'RS-9: record a prison outreach visit / 登记延伸帮教' })
  async recordOutreachVisit(@CurrentPrincipal() caller: Principal, @Args('input') i: RecordOutreachVisitInput) {
    return toOutreachVisitType(await this.outreach.recordVisit(caller, i.town, i.prisonName, i.visitedOn, i.participants, i.note));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SocialWorkerType, { description: 'RS-12: add a social worker to the town\'s roster / 新增社工' })
  async addResettlementSocialWorker(@CurrentPrincipal() caller: Principal, @Args('input') i: AddSocialWorkerInput) {
    return toSocialWorkerType(await this.outreach.addSocialWorker(caller, i.town, i.name, i.startedOn));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SocialWorkerType, { description: 'RS-12: a social worker leaves the roster / 社工离岗' })
  async endResettlementSocialWorker(@CurrentPrincipal() caller: Principal, @Args('input') i: EndSocialWorkerInput) {
    return toSocialWorkerType(await this.outreach.endSocialWorker(caller, i.id, i.endedOn));
  }
}

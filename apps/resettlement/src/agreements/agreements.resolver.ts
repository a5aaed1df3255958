import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { Clock, CurrentPrincipal, Principal, Roles, STAFF_WRITERS } from '@homeward/platform';
import { NoticesService } from '../notices/notices.service';
import { PreReleaseNoticeType, toNoticeType } from '../notices/notice.types';
import { AgreementsService } from './agreements.service';
import { AgreementType, SignAgreementInput, toAgreementType } from './agreement.types';

@Resolver(() => AgreementType)
export class AgreementsResolver {
  constructor(
    private readonly agreements: AgreementsService,
    private readonly notices: NoticesService,
    private readonly clock: Clock,
  ) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PreReleaseNoticeType, { description: 'RS-4: the person applied for an agreement / 申请签订帮教协议' })
  async markAgreementApplied(@CurrentPrincipal() caller: Principal, @Args('noticeId', { type: () => ID }) noticeId: string) {
    await this.agreements.markApplied(caller, noticeId);
    return toNoticeType(await this.notices.findOne(caller, noticeId), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AgreementType, { description: 'RS-4: record the signed agreement / 签订帮教协议' })
  async signAgreement(@CurrentPrincipal() caller: Principal, @Args('input') input: SignAgreementInput) {
    return toAgreementType(await this.agreements.sign(caller, input.noticeId, input.parties, input.clauses, input.signedOn));
  }
}

import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS } from '@homeward/platform';
import { AppAccountsService } from './app-accounts.service';
import { AppActivationType, InviteTeamMemberInput } from './app-accounts.types';

@Resolver()
export class AppAccountsResolver {
  constructor(private readonly service: AppAccountsService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AppActivationType, { description: "CC-21: open (or re-open) the subject's app 在矫通 with a one-time code / 开通在矫通" })
  issueSubjectAppActivation(@CurrentPrincipal() caller: Principal, @Args('subjectId', { type: () => ID }) subjectId: string): Promise<AppActivationType> {
    return this.service.issueSubjectActivation(caller, subjectId);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AppActivationType, { description: "CC-21: invite a team member to 协矫通 (a code), or join another membership's account / 邀请小组成员使用协矫通" })
  inviteTeamMember(@CurrentPrincipal() caller: Principal, @Args('input') input: InviteTeamMemberInput): Promise<AppActivationType> {
    return this.service.inviteTeamMember(caller, input.teamMemberId, input.sameAccountAs);
  }
}

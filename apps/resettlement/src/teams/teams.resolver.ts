import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS } from '@homeward/platform';
import { AddAssistanceTeamMemberInput, AssistancePlanType, AssistanceTeamMemberType, RemoveAssistanceTeamMemberInput, SetAssistancePlanInput, toPlanType, toTeamMemberType } from './team.types';
import { TeamsService } from './teams.service';

@Resolver(() => AssistanceTeamMemberType)
export class TeamsResolver {
  constructor(private readonly teams: TeamsService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AssistanceTeamMemberType, { description: 'RS-6: add a member to the assistance team; a SOCIAL_WORKER with a staff user id is assigned the case / 增加帮教小组成员' })
  async addAssistanceTeamMember(@CurrentPrincipal() caller: Principal, @Args('input') input: AddAssistanceTeamMemberInput) {
    return toTeamMemberType(await this.teams.addMember(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AssistanceTeamMemberType, { description: "RS-6: remove a member (kept in the team's history, with the reason); a social worker's assignment ends / 移出帮教小组成员" })
  async removeAssistanceTeamMember(@CurrentPrincipal() caller: Principal, @Args('input') input: RemoveAssistanceTeamMemberInput) {
    return toTeamMemberType(await this.teams.removeMember(caller, input.memberId, input.reason));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AssistancePlanType, { description: 'RS-6: save the assistance plan; each save is a new version / 制定帮教方案' })
  async setAssistancePlan(@CurrentPrincipal() caller: Principal, @Args('input') input: SetAssistancePlanInput) {
    return toPlanType(await this.teams.setPlan(caller, input));
  }
}

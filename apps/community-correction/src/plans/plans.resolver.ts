import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { GENDER_LABELS, TEAM_ROLE_LABELS } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_WRITERS, fieldLoader } from '@homeward/platform';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { AddTeamMemberInput, SaveCorrectionPlanInput } from './dto/plan.inputs';
import { CorrectionPlan } from './plan.entity';
import { CorrectionPlanType, TeamMemberType } from './plan.types';
import { PlansService } from './plans.service';
import { TeamMember } from './team-member.entity';

function toPlan(p: CorrectionPlan): CorrectionPlanType {
  return { id: p.id, content: p.content, approved: p.approved, approvedBy: p.approvedBy, approvedOn: p.approvedOn, updatedAt: p.updatedAt };
}

function toMember(m: TeamMember): TeamMemberType {
  return {
    id: m.id,
    role: m.role,
    roleLabel: TEAM_ROLE_LABELS[m.role] ?? m.role,
    name: m.memberName,
    gender: m.gender,
    genderLabel: GENDER_LABELS[m.gender] ?? m.gender,
    versedInMinors: m.versedInMinors,
  };
}

/** CC-7 plan and team mutations (CITY_ADMIN / TOWN_OFFICER, the caller's towns) and fields. */
@Resolver(() => CorrectionSubjectType)
export class PlansResolver {
  constructor(private readonly plans: PlansService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionPlanType, { description: 'CC-7: writes the correction plan (矫正方案)' })
  async saveCorrectionPlan(@CurrentPrincipal() caller: Principal, @Args('input') input: SaveCorrectionPlanInput): Promise<CorrectionPlanType> {
    return toPlan(await this.plans.savePlan(caller, input.subjectId, input.content));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionPlanType, { description: 'CC-7: approves the plan; refused unless the team fits (woman for a female subject, minors expert for a minor)' })
  async approveCorrectionPlan(@CurrentPrincipal() caller: Principal, @Args('subjectId', { type: () => ID }) subjectId: string): Promise<CorrectionPlanType> {
    return toPlan(await this.plans.approvePlan(caller, subjectId));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => TeamMemberType, { description: 'CC-7: adds a correction team member' })
  async addTeamMember(@CurrentPrincipal() caller: Principal, @Args('input') input: AddTeamMemberInput): Promise<TeamMemberType> {
    return toMember(await this.plans.addTeamMember(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => TeamMemberType, { description: 'CC-7: removes a team member (an approval the team no longer supports is withdrawn)' })
  async removeTeamMember(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<TeamMemberType> {
    return toMember(await this.plans.removeTeamMember(caller, id));
  }

  @ResolveField(() => CorrectionPlanType, { nullable: true, description: 'CC-7 矫正方案' })
  async plan(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<CorrectionPlanType | null> {
    const plan = await fieldLoader<CorrectionPlan | null>(ctx, 'plan', (ids) => this.plans.plansBySubjectIds(ids), null).load(subject.id);
    return plan ? toPlan(plan) : null;
  }

  @ResolveField(() => [TeamMemberType], { description: 'CC-7 矫正小组' })
  async team(@Parent() subject: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<TeamMemberType[]> {
    const rows = await fieldLoader<TeamMember[]>(ctx, 'team', (ids) => this.plans.teamsBySubjectIds(ids), []).load(subject.id);
    return rows.map(toMember);
  }
}

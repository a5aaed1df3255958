import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { OfficeListArgs } from '../subject-app/subject-app.types';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { TeamAppService } from './team-app.service';
import { AssignedSubjectType, MyTeamVisitType, RecordTeamVisitInput, TeamVisitConnection, TeamVisitType, toAssigned, toMyVisit, toTeamVisit } from './team-app.types';

/** CC-21 协矫通: a team member's assigned subjects only (TEAM_MEMBER tokens). */
@Resolver()
export class TeamAppResolver {
  constructor(private readonly service: TeamAppService) {}

  @Roles(Role.TEAM_MEMBER)
  @Query(() => [AssignedSubjectType], { description: 'CC-21 协矫通: the subjects whose teams I am on, with what is overdue / 我负责的矫正对象' })
  async myAssignedSubjects(@CurrentPrincipal() caller: Principal): Promise<AssignedSubjectType[]> {
    return (await this.service.myAssignedSubjects(caller)).map(toAssigned);
  }

  @Roles(Role.TEAM_MEMBER)
  @Query(() => [MyTeamVisitType], { description: 'CC-21: the visits and observations I recorded / 我的走访记录' })
  async myTeamVisits(@CurrentPrincipal() caller: Principal): Promise<MyTeamVisitType[]> {
    return (await this.service.myVisits(caller)).map(toMyVisit);
  }

  @Roles(Role.TEAM_MEMBER)
  @Mutation(() => MyTeamVisitType, { description: 'CC-21 协矫通: record a visit or observation of my subject / 记录走访、观察' })
  async recordTeamVisit(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordTeamVisitInput): Promise<MyTeamVisitType> {
    return toMyVisit(await this.service.recordVisit(caller, input));
  }
}

/** CC-21: what team members recorded, in the office's lists and on the subject. */
@Resolver(() => CorrectionSubjectType)
export class TeamVisitsOfficeResolver {
  constructor(private readonly service: TeamAppService) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => TeamVisitConnection, { description: "CC-21: team members' visits and observations in the caller's towns, newest first / 小组成员走访、观察" })
  async teamVisits(@CurrentPrincipal() caller: Principal, @Args() args: OfficeListArgs): Promise<TeamVisitConnection> {
    return toConnection(await this.service.teamVisits(caller, args), toTeamVisit);
  }

  @Roles(...STAFF_READERS)
  @ResolveField('teamVisits', () => [TeamVisitType], { description: "CC-21: the team's visits and observations of this subject, newest first / 小组走访记录" })
  async visitsOfSubject(@Parent() parent: CorrectionSubjectType): Promise<TeamVisitType[]> {
    return (await this.service.visitsOfSubject(parent.id)).map(toTeamVisit);
  }
}

import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CaseAssignment, CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_WRITERS, fieldLoader } from '@homeward/platform';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { AssignmentsService } from './assignments.service';
import { AssignSocialWorkerInput, SocialWorkerAssignmentType } from './assignments.types';

function toType(a: CaseAssignment): SocialWorkerAssignmentType {
  return {
    id: a.id,
    subjectId: a.subjectId,
    workerId: a.workerId,
    town: a.town,
    assignedAt: a.assignedAt,
    assignedBy: a.assignedBy,
    endedAt: a.endedAt,
    endedBy: a.endedBy,
    active: a.endedAt === null,
  };
}

@Resolver(() => CorrectionSubjectType)
export class AssignmentsResolver {
  constructor(private readonly assignments: AssignmentsService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SocialWorkerAssignmentType, {
    description: "Issue 6 item 7: assign a social worker to a subject of the caller's towns (audited) / 分配社工",
  })
  async assignSocialWorker(@CurrentPrincipal() caller: Principal, @Args('input') input: AssignSocialWorkerInput): Promise<SocialWorkerAssignmentType> {
    return toType(await this.assignments.assign(caller, input.subjectId, input.workerId));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SocialWorkerAssignmentType, { description: 'End an assignment; the worker no longer sees the subject (audited) / 结束社工分配' })
  async endSocialWorkerAssignment(
    @CurrentPrincipal() caller: Principal,
    @Args('assignmentId', { type: () => ID }) assignmentId: string,
  ): Promise<SocialWorkerAssignmentType> {
    return toType(await this.assignments.end(caller, assignmentId));
  }

  @Roles(...STAFF_WRITERS)
  @ResolveField(() => [SocialWorkerAssignmentType], { description: 'Social worker assignments, newest first, ended ones included (officers only)' })
  async socialWorkerAssignments(@Parent() parent: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<SocialWorkerAssignmentType[]> {
    const rows = await fieldLoader<CaseAssignment[]>(ctx, 'assignments.history', (ids) => this.assignments.history(ids), []).load(parent.id);
    return rows.map(toType);
  }
}


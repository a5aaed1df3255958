import { Args, Context, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { townName } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, fieldLoader, selectsTotalCount, toConnection } from '@homeward/platform';
import { CorrectionSubjectConnection, CorrectionSubjectType } from '../subjects/subject.types';
import { toSubjectType } from '../subjects/subjects.resolver';
import { CaseloadService, DueRow, SubjectPage, encodeDueCursor } from './caseload.service';
import { CaseloadArgs, DUE_ITEM_KIND_LABELS, DueArgs, DueItemType, SearchSubjectsArgs } from './caseload.types';

function toDueItem(r: DueRow): DueItemType {
  return {
    kind: r.kind,
    kindLabel: DUE_ITEM_KIND_LABELS[r.kind],
    subjectId: r.subjectId,
    recordId: r.recordId,
    name: r.name,
    town: { code: r.town, name: townName(r.town) ?? r.town },
    dueOn: r.dueOn,
    cursor: encodeDueCursor(r),
  };
}

/** Staff daily queries (issue 3 item 15). Per-row fields (supervision, compliance, keyPerson) are DataLoader-batched. */
@Resolver(() => CorrectionSubjectType)
export class CaseloadResolver {
  constructor(private readonly service: CaseloadService) {}

  @Roles(...STAFF_READERS)
  @Query(() => CorrectionSubjectConnection, {
    description: 'My caseload (我的矫正对象): open cases in the caller\'s towns, newest enrolment first; by status, CC-8 level, CC-10 key person, town',
  })
  async caseload(@CurrentPrincipal() caller: Principal, @Args() args: CaseloadArgs, @Info() info: GraphQLResolveInfo): Promise<CorrectionSubjectConnection> {
    return toConnection(await this.service.caseload(caller, { ...args, count: selectsTotalCount(info) }), toSubjectType);
  }

  @Roles(...STAFF_READERS)
  @Query(() => [DueItemType], { description: '今日到期: what falls due on today\'s date in the caller\'s towns' })
  async dueToday(@CurrentPrincipal() caller: Principal, @Args() args: DueArgs): Promise<DueItemType[]> {
    return (await this.service.due(caller, 'TODAY', args.town, args)).map(toDueItem);
  }

  @Roles(...STAFF_READERS)
  @Query(() => [DueItemType], { description: '已逾期: what fell due before today and is still open, in the caller\'s towns, oldest first' })
  async overdue(@CurrentPrincipal() caller: Principal, @Args() args: DueArgs): Promise<DueItemType[]> {
    return (await this.service.due(caller, 'OVERDUE', args.town, args)).map(toDueItem);
  }

  @Roles(...STAFF_READERS)
  @Query(() => CorrectionSubjectConnection, {
    description: 'Search subjects (any status) in the caller\'s towns by ID number (matched by personKey) or full name (exact, blind index) / 按姓名（全名）或身份证号码查询',
  })
  async searchSubjects(@CurrentPrincipal() caller: Principal, @Args() args: SearchSubjectsArgs, @Info() info: GraphQLResolveInfo): Promise<CorrectionSubjectConnection> {
    return toConnection(await this.service.search(caller, args.query, args.first, args.after, selectsTotalCount(info)), toSubjectType);
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => Boolean, { description: 'CC-10: a key person (重点人员) in the town\'s latest determination up to this month' })
  async keyPerson(@Parent() parent: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<boolean> {
    return fieldLoader<boolean>(ctx, 'caseload.keyPerson', (ids) => this.service.keyPersonFlags(ids), false).load(parent.id);
  }
}

import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, encodeCursor } from '@homeward/platform';
import { CorrectionSubjectConnection, CorrectionSubjectType } from './subject.types';
import { STAFF_WRITERS } from '@homeward/platform';
import { toSubjectType } from './subjects.resolver';
import { CompleteSuspendedPenaltyInput, SentenceReviewArgs } from './sentence-review.types';
import { SentenceReviewService } from './sentence-review.service';

/** CC-6: the officer's list of probations to complete (or in conflict) and the completion (CITY_ADMIN / TOWN_OFFICER). */
@Resolver(() => CorrectionSubjectType)
export class SentenceReviewResolver {
  constructor(private readonly review: SentenceReviewService) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => CorrectionSubjectConnection, {
    description:
      "CC-6: open probations in the caller's towns whose suspended penalty is not stated, or whose period conflicts with it / 待补录缓刑所附主刑或期限冲突的矫正对象",
  })
  async sentenceReviews(@CurrentPrincipal() caller: Principal, @Args() args: SentenceReviewArgs): Promise<CorrectionSubjectConnection> {
    const page = await this.review.list(caller, args);
    return {
      totalCount: page.totalCount,
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      edges: page.items.map((s) => ({ cursor: encodeCursor(s), node: toSubjectType(s) })),
    };
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionSubjectType, {
    description: 'CC-6: states the penalty a probation suspends; a stored period outside its bounds is flagged in periodConflict / 补录缓刑所附主刑',
  })
  async completeSuspendedPenalty(@CurrentPrincipal() caller: Principal, @Args('input') input: CompleteSuspendedPenaltyInput): Promise<CorrectionSubjectType> {
    return toSubjectType(await this.review.complete(caller, input.subjectId, input.suspendedPenalty, input.suspendedTermMonths));
  }
}

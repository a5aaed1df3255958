import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { STRICT_REASON_LABELS, SUPERVISION_LEVEL_LABELS } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, STAFF_WRITERS, rowLoader } from '@homeward/platform';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { SupervisionPolicyProvider } from './supervision-policy';
import { SupervisionService, SupervisionView } from './supervision.service';
import { currentSupervisionOf } from './supervision.loaders';
import { SetOrganisedCrimeFlagInput, SetSupervisionLevelInput, SupervisionLevelChangeType, SupervisionType } from './supervision.types';
import { toSubjectType } from '../subjects/subjects.resolver';
import { SupervisionLevelChange } from './supervision-level.entity';

export function toLevelChange(r: SupervisionLevelChange): SupervisionLevelChangeType {
  return { ...r, levelLabel: SUPERVISION_LEVEL_LABELS[r.level] };
}

@Resolver(() => CorrectionSubjectType)
export class SupervisionResolver {
  constructor(
    private readonly service: SupervisionService,
    private readonly policy: SupervisionPolicyProvider,
  ) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CorrectionSubjectType, { description: 'CC-25: set or clear the organised-crime flag (涉黑涉恶: STRICT for the whole term)' })
  async setOrganisedCrimeFlag(@CurrentPrincipal() caller: Principal, @Args('input') input: SetOrganisedCrimeFlagInput): Promise<CorrectionSubjectType> {
    return toSubjectType(await this.service.setOrganisedCrime(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => SupervisionLevelChangeType, { description: 'CC-8: set the supervision level (严管/普管/宽管); below STRICT is refused while a STRICT reason holds' })
  async setSupervisionLevel(@CurrentPrincipal() caller: Principal, @Args('input') input: SetSupervisionLevelInput): Promise<SupervisionLevelChangeType> {
    return toLevelChange(await this.service.setLevel(caller, input));
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => SupervisionType, { nullable: true, description: 'CC-8: the supervision level in force and its obligations' })
  async supervision(@Parent() parent: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<SupervisionType | null> {
    // From the parent rows the list already read (no second read of the subjects), levels shared with `compliance`.
    const view = await rowLoader<CorrectionSubjectType, SupervisionView | null>(
      ctx,
      'supervision.view',
      (rows) => this.service.viewsOf(rows, currentSupervisionOf(ctx, this.service)),
      null,
    ).load(parent);
    if (!view) return null;
    const o = this.policy.obligations(view.level);
    return {
      level: view.level,
      levelLabel: SUPERVISION_LEVEL_LABELS[view.level],
      reason: view.reason,
      highRisk: view.highRisk,
      effectiveOn: view.effectiveOn,
      strictReasons: view.strictReasons.map((reason) => ({ reason, label: STRICT_REASON_LABELS[reason] })),
      checkInIntervalDays: o.checkInIntervalDays,
      educationHoursPerMonth: o.educationHoursPerMonth,
      communityServiceHoursPerMonth: o.communityServiceHoursPerMonth,
    };
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => [SupervisionLevelChangeType], { description: 'CC-8: level decisions, newest first' })
  async supervisionHistory(@Parent() parent: CorrectionSubjectType): Promise<SupervisionLevelChangeType[]> {
    return (await this.service.history(parent.id)).map(toLevelChange);
  }
}

import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CHECK_IN_CHANNEL_LABELS, MonthlyCompliance, parseLocalDate } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, STAFF_WRITERS, rowLoader, toConnection } from '@homeward/platform';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { ACTIVITY_KIND_LABELS, ActivityHours, ActivityKind } from './activity-hours.entity';
import { CheckIn } from './check-in.entity';
import { CheckInsService } from './check-ins.service';
import { SupervisionService } from '../supervision/supervision.service';
import { currentSupervisionOf } from '../supervision/supervision.loaders';
import { ActivityHoursType, CheckInConnection, CheckInType, CheckInsArgs, ComplianceType, LogHoursInput, RecordCheckInInput } from './check-ins.types';

export function toCheckIn(c: CheckIn): CheckInType {
  return { ...c, channelLabel: CHECK_IN_CHANNEL_LABELS[c.channel] };
}

function toHours(h: ActivityHours): ActivityHoursType {
  return { ...h, kindLabel: ACTIVITY_KIND_LABELS[h.kind] };
}

@Resolver(() => CorrectionSubjectType)
export class CheckInsResolver {
  constructor(
    private readonly service: CheckInsService,
    private readonly supervision: SupervisionService,
  ) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => CheckInType, { description: 'CC-9: record a check-in (APP needs faceMatch and location)' })
  async recordCheckIn(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordCheckInInput): Promise<CheckInType> {
    return toCheckIn(await this.service.recordCheckIn(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ActivityHoursType, { description: 'CC-9: log education hours (教育学习)' })
  async logEducation(@CurrentPrincipal() caller: Principal, @Args('input') input: LogHoursInput): Promise<ActivityHoursType> {
    return toHours(await this.service.logHours(caller, ActivityKind.EDUCATION, { ...input, onDate: parseLocalDate(input.onDate, 'onDate') }));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ActivityHoursType, { description: 'CC-9: log community service hours (公益活动)' })
  async logCommunityService(@CurrentPrincipal() caller: Principal, @Args('input') input: LogHoursInput): Promise<ActivityHoursType> {
    return toHours(await this.service.logHours(caller, ActivityKind.COMMUNITY_SERVICE, { ...input, onDate: parseLocalDate(input.onDate, 'onDate') }));
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => ComplianceType, { nullable: true, description: 'CC-9: this month\'s check-ins and hours, due and done (null before activation)' })
  async compliance(@Parent() parent: CorrectionSubjectType, @Context() ctx: LoaderContext): Promise<MonthlyCompliance | null> {
    // From the parent rows the list already read (no second read of the subjects), levels shared with `supervision`.
    return rowLoader<CorrectionSubjectType, MonthlyCompliance | null>(
      ctx,
      'checkIns.compliance',
      (rows) => this.service.complianceOf(rows, undefined, currentSupervisionOf(ctx, this.supervision)),
      null,
    ).load(parent);
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => CheckInConnection, { description: 'CC-9: check-ins, newest first' })
  async checkIns(@Parent() parent: CorrectionSubjectType, @Args() args: CheckInsArgs): Promise<CheckInConnection> {
    const page = await this.service.list(parent.id, args.first, args.after);
    return toConnection(page, toCheckIn);
  }
}

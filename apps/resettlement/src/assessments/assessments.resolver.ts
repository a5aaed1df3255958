import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Clock, CurrentPrincipal, Principal, Roles, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { ReleaseConnection, toReleaseType } from '../releases/release.types';
import { AssessmentsService } from './assessments.service';
import { DueListArgs, PoliceHandOverType, RecordPoliceHandOverInput, RecordRiskAssessmentInput, RiskAssessmentType, toPoliceHandOverType, toRiskAssessmentType } from './assessment.types';

@Resolver(() => RiskAssessmentType)
export class AssessmentsResolver {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly clock: Clock,
  ) {}

  @Roles(...STAFF_WRITERS)
  @Query(() => ReleaseConnection, { description: 'RS-6: releases without a risk assessment, due within withinDays or late, earliest due first / 待评估' })
  async riskAssessmentsDue(@CurrentPrincipal() caller: Principal, @Args() args: DueListArgs): Promise<ReleaseConnection> {
    const page = await this.assessments.assessmentsDue(caller, args, args.withinDays);
    const today = this.clock.today();
    return toConnection(page, (r) => toReleaseType(r, today), page.cursorOf);
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => ReleaseConnection, { description: 'RS-6: key persons not yet handed to police, due within withinDays or late / 待移交公安' })
  async policeHandOversDue(@CurrentPrincipal() caller: Principal, @Args() args: DueListArgs): Promise<ReleaseConnection> {
    const page = await this.assessments.handOversDue(caller, args, args.withinDays);
    const today = this.clock.today();
    return toConnection(page, (r) => toReleaseType(r, today), page.cursorOf);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => RiskAssessmentType, { description: 'RS-6: record the risk assessment / 登记危险性评估' })
  async recordRiskAssessment(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordRiskAssessmentInput) {
    return toRiskAssessmentType(await this.assessments.assess(caller, input.releaseId, input.level, input.factors, input.assessedOn));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PoliceHandOverType, { description: 'RS-6: record the hand-over to police / 登记移交公安' })
  async recordPoliceHandOver(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordPoliceHandOverInput) {
    return toPoliceHandOverType(await this.assessments.handOverToPolice(caller, input.releaseId, input.policeUnit, input.handedOverOn));
  }
}

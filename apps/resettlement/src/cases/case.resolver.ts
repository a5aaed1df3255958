import { Args, ArgsType, Context, Field, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Matches } from 'class-validator';
import { Clock, CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, fieldLoader } from '@homeward/platform';
import { AgreementType, toAgreementType } from '../agreements/agreement.types';
import { PoliceHandOverType, RiskAssessmentType, toPoliceHandOverType, toRiskAssessmentType } from '../assessments/assessment.types';
import { BasePlacementType, toPlacementType } from '../fund/fund.types';
import { KeyCategoryChangeType, PreReleaseNoticeType, toKeyCategoryChangeType, toNoticeType } from '../notices/notice.types';
import { Release } from '../releases/release.entity';
import { ReleaseType, toReleaseType } from '../releases/release.types';
import { ReoffenceReportType, toReoffenceType } from '../reoffences/reoffence.types';
import { EmploymentServiceType, WelfareReferralType, toEmploymentServiceType, toWelfareReferralType } from '../welfare/welfare.types';
import { AssistanceCasesService } from './assistance-cases.service';
import { AgreementsService } from '../agreements/agreements.service';
import { AssessmentsService } from '../assessments/assessments.service';
import { FundService } from '../fund/fund.service';
import { NoticesService } from '../notices/notices.service';
import { ReleasesService } from '../releases/releases.service';
import { ReoffencesService } from '../reoffences/reoffences.service';
import { WelfareService } from '../welfare/welfare.service';
import { CaseDisputeType, toCaseDisputeType } from '../disputes/dispute.types';
import { DisputesService } from '../disputes/disputes.service';
import { AssistancePlanType, AssistanceTeamMemberType, toPlanType, toTeamMemberType } from '../teams/team.types';
import { TeamsService } from '../teams/teams.service';
import { AssistancePlan, AssistanceTeamMember } from '../teams/team.entity';
import { ResettlementCaseType, toCaseType } from './case.types';

@ArgsType()
export class CasesOfPersonArgs {
  @Field({ description: 'the person key (HMAC of the ID number) / 人员键' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'personKey must be 64 hex digits / 人员键应为64位十六进制' })
  personKey: string;
}

/** The case page (安置帮教档案): the case and, batched per request, everything recorded on it. */
@Resolver(() => ResettlementCaseType)
export class ResettlementCaseResolver {
  constructor(
    private readonly cases: AssistanceCasesService,
    private readonly releases: ReleasesService,
    private readonly notices: NoticesService,
    private readonly agreements: AgreementsService,
    private readonly assessments: AssessmentsService,
    private readonly welfare: WelfareService,
    private readonly fund: FundService,
    private readonly reoffenceReports: ReoffencesService,
    private readonly disputeRecords: DisputesService,
    private readonly teams: TeamsService,
    private readonly clock: Clock,
  ) {}

  @Roles(...STAFF_READERS)
  @Query(() => ResettlementCaseType, { nullable: true, description: 'One assistance case of the caller\'s towns; null otherwise (audited) / 帮教对象档案' })
  async resettlementCase(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string) {
    const kase = await this.cases.findOne(caller, id);
    return kase ? toCaseType(kase) : null;
  }

  @Roles(...STAFF_READERS)
  @Query(() => [ResettlementCaseType], { description: 'Search by person key: the person\'s cases in the caller\'s towns, newest first / 按人员查询' })
  async resettlementCasesOfPerson(@CurrentPrincipal() caller: Principal, @Args() args: CasesOfPersonArgs) {
    return ((await this.cases.findByPersonKeys(caller, [args.personKey])).get(args.personKey) ?? []).map(toCaseType);
  }

  private releasesOf(ctx: LoaderContext, c: ResettlementCaseType): Promise<Release[]> {
    return fieldLoader<Release[]>(ctx, 'case.releases', (ids) => this.releases.byCaseIds(ids), []).load(c.id);
  }

  @ResolveField(() => ReleaseType, { nullable: true, description: 'RS-5 the release that opened the case / 释放信息' })
  async release(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    const [r] = await this.releasesOf(ctx, c);
    return r ? toReleaseType(r, this.clock.today()) : null;
  }

  @ResolveField(() => PreReleaseNoticeType, { nullable: true, description: 'RS-1 the pre-release notice / 预释放信息' })
  async notice(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    const [r] = await this.releasesOf(ctx, c);
    if (!r?.noticeId) return null;
    const [n] = await fieldLoader(ctx, 'case.notice', (ids) => this.notices.byIds(ids), []).load(r.noticeId);
    return n ? toNoticeType(n, this.clock.today()) : null;
  }

  @ResolveField(() => [KeyCategoryChangeType], { description: 'RS-3 the key-person category changes of the notice, oldest first / 重点人员类别变更记录' })
  async keyCategoryChanges(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    const [r] = await this.releasesOf(ctx, c);
    if (!r?.noticeId) return [];
    return (await fieldLoader(ctx, 'case.keyCategoryChanges', (ids) => this.notices.keyCategoryChangesByNoticeIds(ids), []).load(r.noticeId)).map(toKeyCategoryChangeType);
  }

  @ResolveField(() => AgreementType, { nullable: true, description: 'RS-4 帮教协议' })
  async agreement(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    const [r] = await this.releasesOf(ctx, c);
    if (!r?.noticeId) return null;
    const [a] = await fieldLoader(ctx, 'case.agreement', (ids) => this.agreements.byNoticeIds(ids), []).load(r.noticeId);
    return a ? toAgreementType(a) : null;
  }

  @ResolveField(() => [RiskAssessmentType], { description: 'RS-6 危险性评估' })
  async riskAssessments(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    const [r] = await this.releasesOf(ctx, c);
    return r ? (await fieldLoader(ctx, 'case.assessments', (ids) => this.assessments.assessmentsByReleaseIds(ids), []).load(r.id)).map(toRiskAssessmentType) : [];
  }

  @ResolveField(() => PoliceHandOverType, { nullable: true, description: 'RS-6 移交公安' })
  async policeHandOver(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    const [r] = await this.releasesOf(ctx, c);
    if (!r) return null;
    const [h] = await fieldLoader(ctx, 'case.handOvers', (ids) => this.assessments.handOversByReleaseIds(ids), []).load(r.id);
    return h ? toPoliceHandOverType(h) : null;
  }

  @ResolveField(() => [WelfareReferralType], { description: 'RS-7 社会救助转介' })
  async welfareReferrals(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    return (await fieldLoader(ctx, 'case.welfare', (ids) => this.welfare.referralsByCaseIds(ids), []).load(c.id)).map(toWelfareReferralType);
  }

  @ResolveField(() => [EmploymentServiceType], { description: 'RS-7 就业服务' })
  async employmentServices(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    return (await fieldLoader(ctx, 'case.employment', (ids) => this.welfare.employmentByCaseIds(ids), []).load(c.id)).map(toEmploymentServiceType);
  }

  @ResolveField(() => [BasePlacementType], { description: 'RS-11 基地安置' })
  async placements(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    return (await fieldLoader(ctx, 'case.placements', (ids) => this.fund.placementsByCaseIds(ids), []).load(c.id)).map(toPlacementType);
  }

  @ResolveField(() => [CaseDisputeType], { description: 'RS-13 矛盾纠纷, oldest first' })
  async disputes(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    return (await fieldLoader(ctx, 'case.disputes', (ids) => this.disputeRecords.byCaseIds(ids), []).load(c.id)).map(toCaseDisputeType);
  }

  private membersOf(ctx: LoaderContext, c: ResettlementCaseType): Promise<AssistanceTeamMember[]> {
    return fieldLoader<AssistanceTeamMember[]>(ctx, 'case.team', (ids) => this.teams.membersByCaseIds(ids), []).load(c.id);
  }

  private plansOf(ctx: LoaderContext, c: ResettlementCaseType): Promise<AssistancePlan[]> {
    return fieldLoader<AssistancePlan[]>(ctx, 'case.plans', (ids) => this.teams.plansByCaseIds(ids), []).load(c.id);
  }

  @ResolveField(() => [AssistanceTeamMemberType], { description: 'RS-6 帮教小组: the current members, oldest first' })
  async team(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    return (await this.membersOf(ctx, c)).filter((m) => !m.removedAt).map(toTeamMemberType);
  }

  @ResolveField(() => [AssistanceTeamMemberType], { description: 'RS-6 帮教小组 history: every member ever added (removed ones with who, when and why), oldest first' })
  async teamHistory(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    return (await this.membersOf(ctx, c)).map(toTeamMemberType);
  }

  @ResolveField(() => AssistancePlanType, { nullable: true, description: 'RS-6 帮教方案: the current version' })
  async plan(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    const [p] = await this.plansOf(ctx, c);
    return p ? toPlanType(p) : null;
  }

  @ResolveField(() => [AssistancePlanType], { description: 'RS-6 帮教方案 history: every version, newest first' })
  async planHistory(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    return (await this.plansOf(ctx, c)).map(toPlanType);
  }

  @ResolveField(() => [ReoffenceReportType], { description: 'RS-8 重新犯罪' })
  async reoffences(@Parent() c: ResettlementCaseType, @Context() ctx: LoaderContext) {
    return (await fieldLoader(ctx, 'case.reoffences', (ids) => this.reoffenceReports.byCaseIds(ids), []).load(c.id)).map(toReoffenceType);
  }
}

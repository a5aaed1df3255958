import { Inject } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { DomainErrorCode, isDomainError } from '@homeward/domain';
import { Clock, CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, STAFF_WRITERS, fieldLoader, toConnection } from '@homeward/platform';
import { AftercareCase } from '../cases/aftercare-case.entity';
import {
  AftercareCaseConnection,
  AftercareCaseType,
  AftercareCasesOfPersonArgs,
  AftercareListArgs,
  CloseAftercareCaseInput,
  IssueAftercareContactCardInput,
  MarkAftercareRelapseInput,
  RecordAftercareContactInput,
  RecordAftercareFollowUpInput,
  toCaseType,
} from '../cases/aftercare-case.types';
import { AftercareCasesService } from '../cases/aftercare-cases.service';
import { AftercareConfig } from '../config';
import { DrugTest } from '../drug-tests/drug-test.entity';
import { DrugTestsService } from '../drug-tests/drug-tests.service';
import { FollowUp } from '../follow-ups/follow-up.entity';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { ReleaseNotice } from '../notices/release-notice.entity';
import {
  AftercareClosureType,
  AftercareContactType,
  AftercareDrugTestType,
  AftercareFollowUpType,
  AftercareHistoryEntryType,
  AftercareNoticeType,
  AftercareRelapseType,
  historyOf,
  toClosureType,
  toContactType,
  toDrugTestType,
  toFollowUpType,
  toNoticeType,
} from './case-page.types';
import { StationListsService, StationPage } from './station-lists.service';

/**
 * The town service station's staff GraphQL (issue 10 item 9): its lists, the case page (后续照管档案)
 * with everything recorded on the case batched per request, and the station's mutations.
 */
@Resolver(() => AftercareCaseType)
export class StationResolver {
  constructor(
    private readonly lists: StationListsService,
    private readonly cases: AftercareCasesService,
    private readonly followUpService: FollowUpsService,
    private readonly testService: DrugTestsService,
    private readonly clock: Clock,
    @Inject(AftercareConfig) private readonly config: AftercareConfig,
  ) {}

  private connection(page: StationPage): AftercareCaseConnection {
    const today = this.clock.today();
    return toConnection(page, (c) => toCaseType(c, today), page.cursorOf);
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => AftercareCaseConnection, { description: 'AC-2: notified, not yet contacted, the longest since release first / 待对接' })
  async aftercareToContact(@CurrentPrincipal() caller: Principal, @Args() args: AftercareListArgs) {
    return this.connection(await this.lists.toContact(caller, args));
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => AftercareCaseConnection, { description: 'AC-3: enrolled, no PHONE follow-up this calendar month / 本月待电话回访' })
  async aftercareFollowUpsDue(@CurrentPrincipal() caller: Principal, @Args() args: AftercareListArgs) {
    return this.connection(await this.lists.followUpsDue(caller, args));
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => AftercareCaseConnection, { description: 'AC-3: enrolled, no FACE_TO_FACE visit this calendar quarter / 本季待见面回访' })
  async aftercareVisitsDue(@CurrentPrincipal() caller: Principal, @Args() args: AftercareListArgs) {
    return this.connection(await this.lists.visitsDue(caller, args));
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => AftercareCaseConnection, { description: 'AC-4: open cases with a relapse, the latest first / 复吸' })
  async aftercareRelapses(@CurrentPrincipal() caller: Principal, @Args() args: AftercareListArgs) {
    return this.connection(await this.lists.relapses(caller, args));
  }

  @Roles(...STAFF_READERS)
  @Query(() => AftercareCaseType, { nullable: true, description: 'One aftercare case of the caller\'s towns; null otherwise (audited) / 后续照管档案' })
  async aftercareCase(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string) {
    try {
      return toCaseType(await this.cases.findOne(caller, id), this.clock.today());
    } catch (e) {
      if (isDomainError(e) && e.code === DomainErrorCode.NOT_FOUND) return null;
      throw e;
    }
  }

  @Roles(...STAFF_READERS)
  @Query(() => [AftercareCaseType], { description: 'Search by person key: the person\'s aftercare cases in the caller\'s towns, newest first / 按人员查询' })
  async aftercareCasesOfPerson(@CurrentPrincipal() caller: Principal, @Args() args: AftercareCasesOfPersonArgs) {
    const today = this.clock.today();
    return ((await this.cases.findByPersonKeys(caller, [args.personKey])).get(args.personKey) ?? []).map((c) => toCaseType(c, today));
  }

  @ResolveField(() => AftercareNoticeType, { nullable: true, description: 'AC-1 the release notice that opened the case / 解戒通知' })
  async notice(@Parent() c: AftercareCaseType, @Context() ctx: LoaderContext) {
    const n = await this.noticeOf(ctx, c.row);
    return n ? toNoticeType(n) : null;
  }

  @ResolveField(() => AftercareContactType, { description: 'AC-2 首次对接' })
  contact(@Parent() c: AftercareCaseType) {
    return toContactType(c.row, this.config.AFTERCARE_CONTACT_DAYS);
  }

  @ResolveField(() => [AftercareFollowUpType], { description: 'AC-3 回访, oldest first' })
  async followUps(@Parent() c: AftercareCaseType, @Context() ctx: LoaderContext) {
    return (await this.followUpsOf(ctx, c.row)).map(toFollowUpType);
  }

  @ResolveField(() => [AftercareDrugTestType], { description: 'AC-4 尿检 (follow-ups and police), oldest first' })
  async drugTests(@Parent() c: AftercareCaseType, @Context() ctx: LoaderContext) {
    return (await this.testsOf(ctx, c.row)).map(toDrugTestType);
  }

  @ResolveField(() => AftercareRelapseType, { description: 'AC-4 复吸' })
  relapse(@Parent() c: AftercareCaseType): AftercareRelapseType {
    const r = c.row;
    return { relapseCount: r.relapseCount, lastRelapseOn: r.lastRelapseOn, refusedTests: r.refusedTests, seriousBreachOn: r.seriousBreachOn };
  }

  @ResolveField(() => AftercareClosureType, { nullable: true, description: 'AC-5 解除' })
  closure(@Parent() c: AftercareCaseType) {
    return toClosureType(c.row);
  }

  @ResolveField(() => [AftercareHistoryEntryType], { description: 'the case\'s steps, oldest first / 照管经过' })
  async history(@Parent() c: AftercareCaseType, @Context() ctx: LoaderContext) {
    const [notice, followUps, tests] = await Promise.all([this.noticeOf(ctx, c.row), this.followUpsOf(ctx, c.row), this.testsOf(ctx, c.row)]);
    return historyOf(c.row, notice, followUps, tests);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AftercareCaseType, { description: 'AC-2: the first contact enrols the subject (with the contact card) / 登记首次对接' })
  async recordAftercareContact(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordAftercareContactInput) {
    return toCaseType(await this.cases.recordFirstContact(caller, input), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AftercareCaseType, { description: 'AC-2: the contact card handed over after the first contact / 发放联系卡' })
  async issueAftercareContactCard(@CurrentPrincipal() caller: Principal, @Args('input') input: IssueAftercareContactCardInput) {
    return toCaseType(await this.cases.issueContactCard(caller, input.caseId, input.issuedOn), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AftercareFollowUpType, { description: 'AC-3: a PHONE or FACE_TO_FACE follow-up with its drug test (a positive one marks a relapse) / 登记回访' })
  async recordAftercareFollowUp(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordAftercareFollowUpInput) {
    return toFollowUpType(await this.followUpService.record(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AftercareCaseType, { description: 'AC-4: a relapse police reported (公安通报) / 登记复吸' })
  async markAftercareRelapse(@CurrentPrincipal() caller: Principal, @Args('input') input: MarkAftercareRelapseInput) {
    return toCaseType(await this.testService.markRelapseByPoliceReport(caller, input.caseId, input.relapsedOn), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AftercareCaseType, { description: 'AC-5: close the case / 解除后续照管' })
  async closeAftercareCase(@CurrentPrincipal() caller: Principal, @Args('input') input: CloseAftercareCaseInput) {
    return toCaseType(await this.cases.close(caller, input.caseId, input.reason, input.closedOn), this.clock.today());
  }

  private async noticeOf(ctx: LoaderContext, c: AftercareCase): Promise<ReleaseNotice | null> {
    if (!c.noticeId) return null;
    const [n] = await fieldLoader<ReleaseNotice[]>(ctx, 'aftercareCase.notice', (ids) => this.lists.noticesByIds(ids), []).load(c.noticeId);
    return n ?? null;
  }

  private followUpsOf(ctx: LoaderContext, c: AftercareCase): Promise<FollowUp[]> {
    return fieldLoader<FollowUp[]>(ctx, 'aftercareCase.followUps', (ids) => this.lists.followUpsByCaseIds(ids), []).load(c.id);
  }

  private testsOf(ctx: LoaderContext, c: AftercareCase): Promise<DrugTest[]> {
    return fieldLoader<DrugTest[]>(ctx, 'aftercareCase.drugTests', (ids) => this.lists.drugTestsByCaseIds(ids), []).load(c.id);
  }
}

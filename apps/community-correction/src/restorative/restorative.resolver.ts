import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { townName } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, STAFF_WRITERS, fieldLoader, toConnection } from '@homeward/platform';
import { RestorativeServiceLog } from './restorative-case.entity';
import { RestorativeService } from './restorative.service';
import {
  AssessRestorativeCaseInput,
  EvaluateRestorativeCaseInput,
  OpenRestorativeCaseInput,
  RestorativeCaseConnection,
  RestorativeCaseType,
  RestorativeCasesArgs,
  RestorativeExcellenceArgs,
  RestorativeExcellenceType,
  RestorativePlanInput,
  RestorativeServiceInput,
  RestorativeServiceLogType,
  RestorativeVictimInput,
  toRestorativeCaseType,
  toServiceLogType,
} from './restorative.types';

@Resolver(() => RestorativeCaseType)
export class RestorativeResolver {
  constructor(private readonly service: RestorativeService) {}

  @Roles(...STAFF_READERS)
  @Query(() => RestorativeCaseConnection, { description: "CC-17: restorative justice cases in the caller's towns / 损害修复案件" })
  async restorativeCases(@CurrentPrincipal() caller: Principal, @Args() args: RestorativeCasesArgs): Promise<RestorativeCaseConnection> {
    const page = await this.service.list(caller, args);
    return toConnection(page, toRestorativeCaseType);
  }

  @Roles(...STAFF_READERS)
  @Query(() => [RestorativeExcellenceType], { description: 'CC-17 target per town: ≥ 1 excellent case flagged 1 Jul … 31 Dec / 下半年优秀案例目标' })
  async restorativeExcellenceTarget(@CurrentPrincipal() caller: Principal, @Args() args: RestorativeExcellenceArgs): Promise<RestorativeExcellenceType[]> {
    return (await this.service.excellenceTarget(caller, args.year, args.town)).map((t) => ({
      town: { code: t.town, name: townName(t.town) },
      excellentCases: t.excellentCases,
      target: 1,
      met: t.met,
    }));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => RestorativeCaseType, { description: 'CC-17: open a case / 启动损害修复' })
  async openRestorativeCase(@CurrentPrincipal() caller: Principal, @Args('input') input: OpenRestorativeCaseInput): Promise<RestorativeCaseType> {
    return toRestorativeCaseType(await this.service.open(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => RestorativeCaseType, { description: 'CC-17: suitability assessment / 适宜性评估' })
  async assessRestorativeCase(@CurrentPrincipal() caller: Principal, @Args('input') input: AssessRestorativeCaseInput): Promise<RestorativeCaseType> {
    return toRestorativeCaseType(await this.service.assess(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => RestorativeCaseType, { description: 'CC-17: victim participation / 被害人参与' })
  async recordRestorativeVictim(@CurrentPrincipal() caller: Principal, @Args('input') input: RestorativeVictimInput): Promise<RestorativeCaseType> {
    return toRestorativeCaseType(await this.service.victim(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => RestorativeCaseType, { description: 'CC-17: the plan / 修复方案' })
  async recordRestorativePlan(@CurrentPrincipal() caller: Principal, @Args('input') input: RestorativePlanInput): Promise<RestorativeCaseType> {
    return toRestorativeCaseType(await this.service.plan(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => RestorativeCaseType, { description: 'CC-17: community service under supervision starts / 开始社区服务监督' })
  async startRestorativeService(@CurrentPrincipal() caller: Principal, @Args('caseId', { type: () => ID }) caseId: string): Promise<RestorativeCaseType> {
    return toRestorativeCaseType(await this.service.startService(caller, caseId));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => RestorativeCaseType, { description: 'CC-17: a supervised community-service session / 社区服务监督记录' })
  async logRestorativeService(@CurrentPrincipal() caller: Principal, @Args('input') input: RestorativeServiceInput): Promise<RestorativeCaseType> {
    return toRestorativeCaseType(await this.service.logService(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => RestorativeCaseType, { description: 'CC-17: quality evaluation / 质量评估' })
  async evaluateRestorativeCase(@CurrentPrincipal() caller: Principal, @Args('input') input: EvaluateRestorativeCaseInput): Promise<RestorativeCaseType> {
    return toRestorativeCaseType(await this.service.evaluate(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => RestorativeCaseType, { description: 'CC-17: flag as an excellent case / 评为优秀案例' })
  async markRestorativeCaseExcellent(@CurrentPrincipal() caller: Principal, @Args('caseId', { type: () => ID }) caseId: string): Promise<RestorativeCaseType> {
    return toRestorativeCaseType(await this.service.markExcellent(caller, caseId));
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => [RestorativeServiceLogType], { description: 'CC-17: community-service sessions, oldest first' })
  async serviceLog(@Parent() parent: RestorativeCaseType, @Context() ctx: LoaderContext): Promise<RestorativeServiceLogType[]> {
    const logs = await fieldLoader<RestorativeServiceLog[]>(ctx, 'restorative.serviceLogs', (ids) => this.service.serviceLogs(ids), []).load(parent.id);
    return logs.map(toServiceLogType);
  }
}

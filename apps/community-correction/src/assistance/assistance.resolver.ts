import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { AssistanceService } from './assistance.service';
import {
  AssistanceNeedConnection,
  AssistanceNeedType,
  AssistanceNeedsArgs,
  DisputeConnection,
  DisputeType,
  DisputesArgs,
  GiveAssistanceInput,
  RecordAssistanceNeedInput,
  RecordDisputeInput,
  ResolveDisputeInput,
  toDisputeType,
  toNeedType,
} from './assistance.types';

@Resolver()
export class AssistanceResolver {
  constructor(private readonly service: AssistanceService) {}

  @Roles(...STAFF_READERS)
  @Query(() => AssistanceNeedConnection, { description: "CC-18: assistance needs in the caller's towns / 帮扶救助" })
  async assistanceNeeds(@CurrentPrincipal() caller: Principal, @Args() args: AssistanceNeedsArgs): Promise<AssistanceNeedConnection> {
    const page = await this.service.listNeeds(caller, args);
    return toConnection(page, toNeedType);
  }

  @Roles(...STAFF_READERS)
  @Query(() => DisputeConnection, { description: "CC-18: disputes in the caller's towns / 矛盾纠纷" })
  async disputes(@CurrentPrincipal() caller: Principal, @Args() args: DisputesArgs): Promise<DisputeConnection> {
    const page = await this.service.listDisputes(caller, args);
    return toConnection(page, toDisputeType);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AssistanceNeedType, { description: 'CC-18: record a need / 登记帮扶需求' })
  async recordAssistanceNeed(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordAssistanceNeedInput): Promise<AssistanceNeedType> {
    return toNeedType(await this.service.recordNeed(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AssistanceNeedType, { description: 'CC-18: assistance given / 落实帮扶' })
  async giveAssistance(@CurrentPrincipal() caller: Principal, @Args('input') input: GiveAssistanceInput): Promise<AssistanceNeedType> {
    return toNeedType(await this.service.give(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => DisputeType, { description: 'CC-18: a dispute found / 排查矛盾纠纷' })
  async recordDispute(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordDisputeInput): Promise<DisputeType> {
    return toDisputeType(await this.service.recordDispute(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => DisputeType, { description: 'CC-18: a dispute resolved / 化解矛盾纠纷' })
  async resolveDispute(@CurrentPrincipal() caller: Principal, @Args('input') input: ResolveDisputeInput): Promise<DisputeType> {
    return toDisputeType(await this.service.resolveDispute(caller, input));
  }
}

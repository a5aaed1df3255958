import { Args, ArgsType, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { Role } from '@homeward/domain';
import { ConnectionOf, CurrentPrincipal, IsTownCode, PageArgs, Principal, Roles, toConnection } from '@homeward/platform';
import { AftercareNoticeType, toNoticeType } from '../station/case-page.types';
import { ReleaseNoticesService } from './release-notices.service';

@ObjectType()
export class AftercareNoticeConnection extends ConnectionOf(AftercareNoticeType, 'AftercareNotice') {}

@ArgsType()
export class AftercareCityQueueArgs extends PageArgs {}

@InputType()
export class AssignAftercareNoticeTownInput {
  @Field(() => ID)
  @IsUUID()
  noticeId: string;

  @Field({ description: 'the service station\'s town code / 服务站所在镇街' })
  @IsString()
  @IsTownCode()
  town: string;

  @Field({ description: 'why this station (required) / 指定理由' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}

/**
 * AC-1 "一个不漏" for the city office: the notices that matched no service station, and their assignment.
 * CITY_ADMIN only; anyone else is refused (FORBIDDEN), never shown an empty queue.
 */
@Resolver(() => AftercareNoticeType)
export class AftercareCityQueueResolver {
  constructor(private readonly notices: ReleaseNoticesService) {}

  @Roles(Role.CITY_ADMIN)
  @Query(() => AftercareNoticeConnection, { description: 'AC-1: release notices matching no service station, waiting for the city office (totalCount = how many wait) / 市局待分配解戒人员' })
  async aftercareCityQueue(@CurrentPrincipal() caller: Principal, @Args() args: AftercareCityQueueArgs): Promise<AftercareNoticeConnection> {
    return toConnection(await this.notices.cityQueuePage(caller, args), toNoticeType);
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => AftercareNoticeType, { description: 'AC-1: give an unmatched notice (and its case) a service station / 指定服务站' })
  async assignAftercareNoticeTown(@CurrentPrincipal() caller: Principal, @Args('input') input: AssignAftercareNoticeTownInput): Promise<AftercareNoticeType> {
    return toNoticeType(await this.notices.assignTown(caller, input.noticeId, input.town, input.reason));
  }
}

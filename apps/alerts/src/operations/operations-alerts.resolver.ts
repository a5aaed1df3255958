import { Args, ArgsType, Field, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { AlertState, Role } from '@homeward/domain';
import { CurrentPrincipal, PageArgs, Principal, Roles, toConnection } from '@homeward/platform';
import { AlertConnection, AlertType, ResolveAlertArgs } from '../alerts/alert.types';
import { toAlertType } from '../alerts/alerts.resolver';
import { OperationsAlertsService } from './operations-alerts.service';

@ArgsType()
export class OperationsAlertsArgs extends PageArgs {
  @Field(() => AlertState, { nullable: true })
  @IsOptional()
  @IsEnum(AlertState)
  state?: AlertState;
}

/** AL-7: operations alerts (no town) for SYSTEM_ADMIN only / 运维预警 */
@Resolver(() => AlertType)
export class OperationsAlertsResolver {
  constructor(private readonly operations: OperationsAlertsService) {}

  @Roles(Role.SYSTEM_ADMIN)
  @Query(() => AlertConnection, { description: 'AL-7: operations alerts (a dead-lettered event, a failing integration), newest first / 运维预警' })
  async operationsAlerts(@CurrentPrincipal() caller: Principal, @Args() args: OperationsAlertsArgs): Promise<AlertConnection> {
    return toConnection(await this.operations.list(caller, args), toAlertType);
  }

  @Roles(Role.SYSTEM_ADMIN)
  @Mutation(() => AlertType, { description: 'AL-7: acknowledge an operations alert / 签收运维预警' })
  async acknowledgeOperationsAlert(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<AlertType> {
    return toAlertType(await this.operations.acknowledge(caller, id));
  }

  @Roles(Role.SYSTEM_ADMIN)
  @Mutation(() => AlertType, { description: 'AL-7: retry the dead-lettered event behind an operations alert (its service replays it) / 重放死信事件' })
  async retryOperationsAlert(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<AlertType> {
    return toAlertType(await this.operations.retry(caller, id));
  }

  @Roles(Role.SYSTEM_ADMIN)
  @Mutation(() => AlertType, { description: 'AL-7: resolve an operations alert with a note / 处置运维预警' })
  async resolveOperationsAlert(@CurrentPrincipal() caller: Principal, @Args() args: ResolveAlertArgs): Promise<AlertType> {
    return toAlertType(await this.operations.resolve(caller, args.id, args.note));
  }
}

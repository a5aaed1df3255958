import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { WorkLogService } from './work-log.service';
import { AddWorkLogEntryInput, WorkLogArgs, WorkLogEntryConnection, WorkLogEntryType, toWorkLogEntryType } from './work-log.types';

/** AC-7 the station's work log: the town office (its towns) and the city office. */
@Resolver(() => WorkLogEntryType)
export class WorkLogResolver {
  constructor(private readonly service: WorkLogService) {}

  @Roles(...STAFF_WRITERS)
  @Mutation(() => WorkLogEntryType, { description: 'AC-7: write a work-log entry / 记录工作日志' })
  async addWorkLogEntry(@CurrentPrincipal() caller: Principal, @Args('input') input: AddWorkLogEntryInput): Promise<WorkLogEntryType> {
    return toWorkLogEntryType(await this.service.add(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => WorkLogEntryType, { description: 'AC-7: remove a wrongly written entry / 删除工作日志' })
  async deleteWorkLogEntry(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<WorkLogEntryType> {
    return toWorkLogEntryType(await this.service.remove(caller, id));
  }

  @Roles(...STAFF_WRITERS)
  @Query(() => WorkLogEntryConnection, { description: "AC-7: the work log of the caller's stations, newest first / 服务站工作日志" })
  async workLog(@CurrentPrincipal() caller: Principal, @Args() args: WorkLogArgs): Promise<WorkLogEntryConnection> {
    return toConnection(await this.service.list(caller, args), toWorkLogEntryType);
  }
}

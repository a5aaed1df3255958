import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { leaveDays } from '@homeward/domain';
import { Clock, CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { LeaveRequest } from './leave.entity';
import { DecideLeaveInput, LeaveConnection, LeaveType, LeavesArgs, RecordLeaveReturnInput, RequestLeaveInput, toLeaveType } from './leave.types';
import { LeaveService } from './leave.service';

@Resolver(() => LeaveType)
export class LeaveResolver {
  constructor(
    private readonly service: LeaveService,
    private readonly clock: Clock,
  ) {}

  private view(l: LeaveRequest): LeaveType {
    return toLeaveType(l, this.clock.today(), leaveDays(l.startDate, l.endDate));
  }

  @Roles(...STAFF_READERS)
  @Query(() => LeaveConnection, { description: 'CC-13: leave and change-of-residence requests in the caller\'s towns' })
  async leaves(@CurrentPrincipal() caller: Principal, @Args() args: LeavesArgs): Promise<LeaveConnection> {
    const page = await this.service.list(caller, args);
    return toConnection(page, (l) => this.view(l));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => LeaveType, { description: 'CC-13: record a request / 登记外出（变更执行地）申请' })
  async requestLeave(@CurrentPrincipal() caller: Principal, @Args('input') input: RequestLeaveInput): Promise<LeaveType> {
    return this.view(await this.service.request(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => LeaveType, { description: 'CC-13: approve (≤ 7 days: justice office; longer or residence change: county bureau) / 批准' })
  async approveLeave(@CurrentPrincipal() caller: Principal, @Args('input') input: DecideLeaveInput): Promise<LeaveType> {
    return this.view(await this.service.approve(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => LeaveType, { description: 'CC-13: refuse / 不予批准' })
  async rejectLeave(@CurrentPrincipal() caller: Principal, @Args('input') input: DecideLeaveInput): Promise<LeaveType> {
    return this.view(await this.service.reject(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => LeaveType, { description: 'CC-13: the subject is back / 销假' })
  async recordLeaveReturn(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordLeaveReturnInput): Promise<LeaveType> {
    return this.view(await this.service.recordReturn(caller, input));
  }
}

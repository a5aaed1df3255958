import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { Clock, CurrentPrincipal, Roles, type Principal } from '@homeward/platform';
import { townsOf } from '../users/user.mapper';
import { EnrolmentState, InviteStaffUserInput, InviteStaffUserPayload, StaffEnrolmentType } from './dto/enrolment.types';
import { Enrolment, EnrolmentStatus } from './enrolment.entity';
import { EnrolmentsService } from './enrolments.service';

export function toStaffEnrolment(e: Enrolment, clock: Clock): StaffEnrolmentType {
  const open = e.status === EnrolmentStatus.OPEN || e.status === EnrolmentStatus.PENDING_APPROVAL;
  const expired = open && e.expiresAt.getTime() <= clock.now().getTime();
  return {
    id: e.id,
    username: e.username,
    roles: e.roles,
    towns: townsOf(e.towns),
    status: expired ? EnrolmentState.EXPIRED : (e.status as unknown as EnrolmentState),
    requestedBy: e.requestedByUsername ?? e.requestedBy,
    approvedBy: e.approvedByUsername ?? e.approvedBy,
    expiresAt: e.expiresAt,
    createdAt: e.createdAt,
  };
}

/** Staff accounts by one-time enrolment (issue 6 item 6): SECURITY_ADMIN only. */
@Resolver(() => StaffEnrolmentType)
@Roles(Role.SECURITY_ADMIN)
export class EnrolmentsResolver {
  constructor(
    private readonly enrolments: EnrolmentsService,
    private readonly clock: Clock,
  ) {}

  @Query(() => [StaffEnrolmentType], { description: 'Invitations not yet used or cancelled / 待处理的注册申请' })
  async staffEnrolments(): Promise<StaffEnrolmentType[]> {
    return (await this.enrolments.listPending()).map((e) => toStaffEnrolment(e, this.clock));
  }

  @Mutation(() => InviteStaffUserPayload, {
    description:
      'Ask for a staff account: a one-time code the new user redeems to set the password and TOTP. CITY_ADMIN / SECURITY_ADMIN need a second security admin’s approval / 申请新建账号',
  })
  async inviteStaffUser(
    @Args('input') input: InviteStaffUserInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<InviteStaffUserPayload> {
    const { enrolment, code } = await this.enrolments.invite({ username: input.username, roles: input.roles, towns: input.towns ?? [] }, principal);
    return { enrolment: toStaffEnrolment(enrolment, this.clock), enrolmentCode: code };
  }

  @Mutation(() => StaffEnrolmentType, { description: 'Approve another security admin’s CITY_ADMIN / SECURITY_ADMIN invitation / 批准注册申请' })
  async approveStaffEnrolment(
    @Args('id', { type: () => ID }) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StaffEnrolmentType> {
    return toStaffEnrolment(await this.enrolments.approve(id, principal), this.clock);
  }

  @Mutation(() => StaffEnrolmentType, { description: 'Withdraw an invitation / 取消注册申请' })
  async cancelStaffEnrolment(
    @Args('id', { type: () => ID }) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StaffEnrolmentType> {
    return toStaffEnrolment(await this.enrolments.cancel(id, principal), this.clock);
  }
}

import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { Clock, CurrentPrincipal, Roles, type Principal } from '@homeward/platform';
import { StaffUserType } from './dto/user.types';
import { toStaffUser } from './user.mapper';
import { UsersService } from './users.service';

/**
 * Staff account administration: SECURITY_ADMIN only. New accounts come from enrolments (inviteStaffUser,
 * issue 6 item 6): a security admin never sets another account's password at creation nor sees its TOTP secret.
 */
@Resolver(() => StaffUserType)
@Roles(Role.SECURITY_ADMIN)
export class UsersResolver {
  constructor(
    private readonly users: UsersService,
    private readonly clock: Clock,
  ) {}

  @Query(() => StaffUserType, { nullable: true, description: 'A staff account by username / 按用户名查询账号' })
  async staffUser(@Args('username') username: string): Promise<StaffUserType | null> {
    const user = await this.users.findByUsername(username);
    return user ? toStaffUser(user, this.clock) : null;
  }

  @Mutation(() => StaffUserType, { description: 'Enable or disable an account / 启用或停用账号' })
  async setUserActive(
    @Args('id', { type: () => ID }) id: string,
    @Args('active') active: boolean,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StaffUserType> {
    return toStaffUser(await this.users.setActive(id, active, principal), this.clock);
  }

  @Mutation(() => StaffUserType, { description: 'Set a new password; ends open sessions / 重置密码' })
  async resetPassword(
    @Args('id', { type: () => ID }) id: string,
    @Args('password') password: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StaffUserType> {
    return toStaffUser(await this.users.resetPassword(id, password, principal), this.clock);
  }

  @Mutation(() => StaffUserType, { description: 'Lift a lockout / 解除锁定' })
  async unlockUser(
    @Args('id', { type: () => ID }) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StaffUserType> {
    return toStaffUser(await this.users.unlock(id, principal), this.clock);
  }
}

import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { Clock, CurrentPrincipal, Roles, type Principal } from '@homeward/platform';
import { CreateUserInput, CreateUserPayload, StaffUserType } from './dto/user.types';
import { toStaffUser } from './user.mapper';
import { UsersService } from './users.service';

/** Staff account administration: SECURITY_ADMIN only. */
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

  @Mutation(() => CreateUserPayload, { description: 'Create a staff account / 新建账号' })
  async createUser(
    @Args('input') input: CreateUserInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreateUserPayload> {
    const created = await this.users.create(
      { username: input.username, password: input.password, roles: input.roles, towns: input.towns ?? [] },
      principal,
    );
    return {
      user: toStaffUser(created.user, this.clock),
      totpSecret: created.totpSecret ?? null,
      otpauthUri: created.otpauthUri ?? null,
    };
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

import { Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@homeward/platform';
import { Me, PrincipalKind } from '../users/dto/user.types';
import { townsOf } from '../users/user.mapper';

@Resolver(() => Me)
export class MeResolver {
  @Query(() => Me, { description: 'The signed-in caller / 当前用户' })
  me(@CurrentPrincipal() principal: Principal): Me {
    return {
      id: principal.sub,
      username: principal.username ?? null,
      kind: principal.kind as PrincipalKind,
      roles: principal.roles,
      towns: townsOf(principal.towns),
      agencyKind: principal.agencyKind ?? null,
    };
  }
}

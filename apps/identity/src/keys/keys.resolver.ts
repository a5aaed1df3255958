import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { CurrentPrincipal, Roles, type Principal } from '@homeward/platform';
import { SigningKeyType } from './dto/signing-key.types';
import { SigningKey } from './signing-key.entity';
import { SigningKeysService } from './signing-keys.service';

function toType(k: SigningKey): SigningKeyType {
  return { kid: k.kid, algorithm: k.algorithm, active: k.active, createdAt: k.createdAt, retiredAt: k.retiredAt };
}

/** Signing key management: SECURITY_ADMIN only. */
@Resolver(() => SigningKeyType)
@Roles(Role.SECURITY_ADMIN)
export class KeysResolver {
  constructor(private readonly keys: SigningKeysService) {}

  @Query(() => [SigningKeyType], { description: 'Published signing keys, newest first / 签名密钥' })
  async signingKeys(): Promise<SigningKeyType[]> {
    return (await this.keys.listPublished()).map(toType);
  }

  @Mutation(() => SigningKeyType, { description: 'Start signing with a new key; the old one stays in the JWKS / 轮换签名密钥' })
  async rotateSigningKey(@CurrentPrincipal() principal: Principal): Promise<SigningKeyType> {
    return toType(await this.keys.rotate(principal));
  }

  @Mutation(() => SigningKeyType, { description: 'Remove a non-active key from the JWKS / 停用旧签名密钥' })
  async retireSigningKey(
    @Args('kid', { type: () => ID }) kid: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<SigningKeyType> {
    return toType(await this.keys.retire(kid, principal));
  }
}

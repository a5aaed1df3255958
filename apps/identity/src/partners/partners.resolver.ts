import { Args, ID, Mutation, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { CurrentPrincipal, Roles, type Principal } from '@homeward/platform';
import {
  CreatePartnerClientInput,
  CreatePartnerClientPayload,
  PartnerClientType,
  RotatePartnerClientSecretPayload,
} from './dto/partner.types';
import { PartnerClient } from './partner-client.entity';
import { PartnersService } from './partners.service';

export function toPartnerClientType(c: PartnerClient): PartnerClientType {
  return {
    clientId: c.clientId,
    agencyKind: c.agencyKind,
    agencyName: c.agencyName,
    agencyId: c.agencyId,
    scopes: c.scopes,
    active: c.active,
    createdAt: c.createdAt,
  };
}

@Resolver(() => PartnerClientType)
@Roles(Role.SECURITY_ADMIN)
export class PartnersResolver {
  constructor(private readonly partners: PartnersService) {}

  @Mutation(() => CreatePartnerClientPayload, { description: 'Create a partner client; the secret is shown once / 新建协作单位接入账号' })
  async createPartnerClient(
    @Args('input') input: CreatePartnerClientInput,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CreatePartnerClientPayload> {
    const { client, clientSecret } = await this.partners.create(
      { kind: input.kind, name: input.name, agencyId: input.agencyId, scopes: input.scopes },
      principal,
    );
    return { client: toPartnerClientType(client), clientSecret };
  }

  @Mutation(() => PartnerClientType, {
    description: 'Enable or disable a partner client; disabling revokes its tokens at once / 启用或停用协作单位接入账号（停用即吊销其令牌）',
  })
  async setPartnerClientActive(
    @Args('clientId', { type: () => ID }) clientId: string,
    @Args('active') active: boolean,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PartnerClientType> {
    return toPartnerClientType(await this.partners.setActive(clientId, active, principal));
  }

  @Mutation(() => RotatePartnerClientSecretPayload, {
    description: 'New client secret (shown once); the previous one works until previousSecretValidUntil / 轮换接入密钥',
  })
  async rotatePartnerClientSecret(
    @Args('clientId', { type: () => ID }) clientId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RotatePartnerClientSecretPayload> {
    const r = await this.partners.rotateSecret(clientId, principal);
    return { client: toPartnerClientType(r.client), clientSecret: r.clientSecret, previousSecretValidUntil: r.previousSecretValidUntil };
  }
}

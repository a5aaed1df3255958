import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { CurrentPrincipal, Roles, type Principal } from '@homeward/platform';
import { CreatePartnerClientInput, CreatePartnerClientPayload, PartnerClientType } from './dto/partner.types';
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
}

import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { SocialOrganisationsService } from '../social-forces/social-organisations.service';
import { PsychServiceRecord } from './psych-service.entity';
import { PsychServicesService } from './psych-services.service';
import {
  ClearPsychCrisisInput,
  FlagPsychCrisisInput,
  PsychServiceRecordConnection,
  PsychServiceRecordType,
  PsychServicesArgs,
  RecordPsychServiceInput,
  toPsychServiceType,
} from './psych-services.types';

/** CC-27 psychological services (心理健康教育、心理咨询、危机干预) and the crisis flag. */
@Resolver()
export class PsychServicesResolver {
  constructor(
    private readonly service: PsychServicesService,
    private readonly organisations: SocialOrganisationsService,
  ) {}

  @Roles(...STAFF_READERS)
  @Query(() => PsychServiceRecordConnection, { description: "CC-27: psychological service records in the caller's towns / 心理服务记录" })
  async psychServices(@CurrentPrincipal() caller: Principal, @Args() args: PsychServicesArgs): Promise<PsychServiceRecordConnection> {
    const page = await this.service.list(caller, args);
    const providers = await this.organisations.byIds(page.items.map((r) => r.providerId));
    return toConnection(page, (r) => toPsychServiceType(r, providers));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PsychServiceRecordType, { description: 'CC-27: record a psychological service / 登记心理服务' })
  async recordPsychService(@CurrentPrincipal() caller: Principal, @Args('input') input: RecordPsychServiceInput): Promise<PsychServiceRecordType> {
    return this.toType(await this.service.record(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PsychServiceRecordType, { description: 'CC-27: set the crisis flag (ORANGE alert) / 标记心理危机' })
  async flagPsychCrisis(@CurrentPrincipal() caller: Principal, @Args('input') input: FlagPsychCrisisInput): Promise<PsychServiceRecordType> {
    return this.toType(await this.service.flagCrisis(caller, input));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => PsychServiceRecordType, { description: 'CC-27: clear the crisis flag (the alert is settled) / 解除心理危机' })
  async clearPsychCrisis(@CurrentPrincipal() caller: Principal, @Args('input') input: ClearPsychCrisisInput): Promise<PsychServiceRecordType> {
    return this.toType(await this.service.clearCrisis(caller, input));
  }

  private async toType(r: PsychServiceRecord): Promise<PsychServiceRecordType> {
    return toPsychServiceType(r, await this.organisations.byIds([r.providerId]));
  }
}

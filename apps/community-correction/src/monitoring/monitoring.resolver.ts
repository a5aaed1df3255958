import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Role } from '@homeward/domain';
import { Clock, CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { AddProhibitionZoneInput, ApproveMonitoringInput, EndMonitoringInput, EndProhibitionZoneArgs, ExtendMonitoringInput } from './dto/monitoring.inputs';
import {
  ElectronicMonitoringConnection,
  ElectronicMonitoringType,
  ElectronicMonitoringsArgs,
  LocationFixType,
  MonitoringExtensionType,
  ProhibitionZoneType,
  toExtensionType,
  toProhibitionZoneType,
  toMonitoringType,
} from './monitoring.types';
import { MonitoringService } from './monitoring.service';

@Resolver(() => ElectronicMonitoringType)
export class MonitoringResolver {
  constructor(
    private readonly monitoring: MonitoringService,
    private readonly clock: Clock,
  ) {}

  @Roles(...STAFF_READERS)
  @Query(() => ElectronicMonitoringType, { nullable: true, description: 'CC-12: one electronic location in the caller\'s towns; null otherwise' })
  async electronicMonitoring(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string) {
    const m = await this.monitoring.findOne(caller, id);
    return m ? toMonitoringType(m, this.clock.today()) : null;
  }

  @Roles(...STAFF_READERS)
  @Query(() => ElectronicMonitoringConnection, { description: 'CC-12: electronic locations in the caller\'s towns, newest first' })
  async electronicMonitorings(@CurrentPrincipal() caller: Principal, @Args() args: ElectronicMonitoringsArgs): Promise<ElectronicMonitoringConnection> {
    const page = await this.monitoring.list(caller, args);
    const today = this.clock.today();
    return toConnection(page, (m) => toMonitoringType(m, today));
  }

  /** CC-12: only the county bureau (CITY_ADMIN) records the head's approval. */
  @Roles(Role.CITY_ADMIN)
  @Mutation(() => ElectronicMonitoringType, { description: 'CC-12: approve electronic location / 电子定位审批' })
  async approveElectronicMonitoring(@CurrentPrincipal() caller: Principal, @Args('input') input: ApproveMonitoringInput) {
    return toMonitoringType(await this.monitoring.approve(caller, input), this.clock.today());
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => ElectronicMonitoringType, { description: 'CC-12: extend by at most 3 months / 延长电子定位' })
  async extendElectronicMonitoring(@CurrentPrincipal() caller: Principal, @Args('input') input: ExtendMonitoringInput) {
    return toMonitoringType(await this.monitoring.extend(caller, input), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ElectronicMonitoringType, { description: 'CC-12: lift electronic location / 解除电子定位' })
  async endElectronicMonitoring(@CurrentPrincipal() caller: Principal, @Args('input') input: EndMonitoringInput) {
    return toMonitoringType(await this.monitoring.end(caller, input), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ProhibitionZoneType, { description: 'CC-12: record a zone a prohibition order forbids / 登记禁止令禁止区域' })
  async addProhibitionZone(@CurrentPrincipal() caller: Principal, @Args('input') input: AddProhibitionZoneInput): Promise<ProhibitionZoneType> {
    return toProhibitionZoneType(await this.monitoring.addProhibitionZone(caller, input), this.clock.today());
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => ProhibitionZoneType, { description: 'CC-12: the prohibition order no longer applies after endedOn / 禁止区域结束' })
  async endProhibitionZone(@CurrentPrincipal() caller: Principal, @Args() { zoneId, endedOn }: EndProhibitionZoneArgs): Promise<ProhibitionZoneType> {
    return toProhibitionZoneType(await this.monitoring.endProhibitionZone(caller, zoneId, endedOn), this.clock.today());
  }

  @ResolveField(() => [ProhibitionZoneType], { description: 'CC-12: the subject\'s prohibition-order zones (a fix inside one is a breach)' })
  async prohibitionZones(@Parent() parent: ElectronicMonitoringType): Promise<ProhibitionZoneType[]> {
    const today = this.clock.today();
    return (await this.monitoring.prohibitionZonesOf(parent.subjectId)).map((z) => toProhibitionZoneType(z, today));
  }

  @ResolveField(() => [MonitoringExtensionType])
  async extensions(@Parent() parent: ElectronicMonitoringType): Promise<MonitoringExtensionType[]> {
    return (await this.monitoring.extensionsOf(parent.id)).map(toExtensionType);
  }

  @ResolveField(() => [LocationFixType], { description: 'latest fixes, newest first (audited)' })
  async recentFixes(
    @CurrentPrincipal() caller: Principal,
    @Parent() parent: ElectronicMonitoringType,
    @Args('last', { type: () => Int, defaultValue: 20 }) last: number,
  ): Promise<LocationFixType[]> {
    const m = await this.monitoring.findOne(caller, parent.id);
    return m ? this.monitoring.recentFixes(caller, m, last) : [];
  }
}

import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Int } from '@nestjs/graphql';
import { Role, type Town } from '@homeward/domain';
import { CurrentPrincipal, Principal, Roles } from '@homeward/platform';
import { ReferenceDataService } from './reference-data.service';
import {
  HolidayTableChangeType,
  HolidayTableType,
  ReferenceDatasetKind,
  ReferenceDatasetType,
  SetCorrectionCentresInput,
  SetCountyBoundaryInput,
  SetHolidayTableInput,
  SetTownsInput,
  toDatasetType,
  toHolidayTableChange,
  toHolidayTableType,
} from './reference.types';

const compact = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as T;

/** Issue 7 item 10: reference data read by staff, changed by the county bureau (CITY_ADMIN) only. */
@Resolver()
export class ReferenceResolver {
  constructor(private readonly reference: ReferenceDataService) {}

  @Roles(Role.CITY_ADMIN, Role.TOWN_OFFICER)
  @Query(() => [HolidayTableType], { description: 'CC-23: holiday tables in force (history: every version) / 节假日表' })
  async holidayTables(
    @Args('year', { type: () => Int, nullable: true }) year?: number,
    @Args('history', { defaultValue: false }) history?: boolean,
  ): Promise<HolidayTableType[]> {
    return (await this.reference.holidayTables(history ?? false, year ?? undefined)).map(toHolidayTableType);
  }

  @Roles(Role.CITY_ADMIN)
  @Query(() => [ReferenceDatasetType], { description: 'Every stored version of a reference dataset / 参考数据历史版本' })
  async referenceDatasetHistory(@Args('kind', { type: () => ReferenceDatasetKind }) kind: ReferenceDatasetKind): Promise<ReferenceDatasetType[]> {
    return (await this.reference.datasetHistory(kind)).map(toDatasetType);
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => HolidayTableChangeType, { description: 'CC-23: replace a year\'s holiday table; stored deadlines are recomputed / 更新节假日表并重算期限' })
  async setHolidayTable(@CurrentPrincipal() caller: Principal, @Args('input') input: SetHolidayTableInput): Promise<HolidayTableChangeType> {
    return toHolidayTableChange(await this.reference.setHolidayTable(caller, input));
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => ReferenceDatasetType, { description: 'Replace the towns / 更新镇街' })
  async setTowns(@CurrentPrincipal() caller: Principal, @Args('input') input: SetTownsInput): Promise<ReferenceDatasetType> {
    return toDatasetType(await this.reference.setTowns(caller, input.towns.map((t) => compact(t) as Town), input.reason));
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => ReferenceDatasetType, { description: 'K-CC7: replace the correction centres / 更新社区矫正中心' })
  async setCorrectionCentres(@CurrentPrincipal() caller: Principal, @Args('input') input: SetCorrectionCentresInput): Promise<ReferenceDatasetType> {
    return toDatasetType(await this.reference.setCorrectionCentres(caller, input.centres.map((c) => compact({ ...c }) as { town: string; validFrom: string }), input.reason));
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => ReferenceDatasetType, { description: 'CC-12: replace the county boundary / 更新县域边界' })
  async setCountyBoundary(@CurrentPrincipal() caller: Principal, @Args('input') input: SetCountyBoundaryInput): Promise<ReferenceDatasetType> {
    return toDatasetType(await this.reference.setCountyBoundary(caller, input.geojson, input.reason));
  }
}

import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role, townName } from '@homeward/domain';
import { CurrentPrincipal, Principal, Roles, TOWN_WIDE_ROLES } from '@homeward/platform';
import { CreateSensitivePeriodInput, SensitivePeriodType, SensitivePeriodsArgs } from './period.types';
import { PeriodsService, SensitivePeriod } from './periods.service';

function toPeriodType(p: SensitivePeriod): SensitivePeriodType {
  return { ...p, towns: p.towns ? p.towns.map((code) => ({ code, name: townName(code) ?? code })) : null };
}

@Resolver(() => SensitivePeriodType)
export class PeriodsResolver {
  constructor(private readonly periods: PeriodsService) {}

  @Roles(...TOWN_WIDE_ROLES)
  @Query(() => [SensitivePeriodType], { description: "AL-4: sensitive periods overlapping [from, to] that cover the caller's towns / 重点时期" })
  async sensitivePeriods(@CurrentPrincipal() caller: Principal, @Args() args: SensitivePeriodsArgs): Promise<SensitivePeriodType[]> {
    return (await this.periods.list(caller, args.from, args.to)).map(toPeriodType);
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => SensitivePeriodType, { description: 'AL-4: add a sensitive period / 新增重点时期' })
  async createSensitivePeriod(@CurrentPrincipal() caller: Principal, @Args('input') input: CreateSensitivePeriodInput): Promise<SensitivePeriodType> {
    return toPeriodType(await this.periods.create(caller, input));
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => Boolean, { description: 'AL-4: remove a sensitive period / 删除重点时期' })
  async deleteSensitivePeriod(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<boolean> {
    return this.periods.remove(caller, id);
  }
}

import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Role, townName } from '@homeward/domain';
import { CurrentPrincipal, Principal, Roles, TOWN_WIDE_ROLES } from '@homeward/platform';
import { DutyRosterEntry, RosterService } from './roster.service';
import { CITY_SCOPE, DUTY_ROLE_LABELS, DutyRosterArgs, DutyRosterEntryType, SetDutyInput } from './roster.types';

export function toEntryType(e: DutyRosterEntry): DutyRosterEntryType {
  return {
    town: e.scope === CITY_SCOPE ? null : { code: e.scope, name: townName(e.scope) ?? e.scope },
    date: e.date,
    role: e.role,
    roleLabel: DUTY_ROLE_LABELS[e.role],
    staff: e.staff,
    setBy: e.setBy,
    setAt: e.setAt,
  };
}

@Resolver(() => DutyRosterEntryType)
export class RosterResolver {
  constructor(private readonly roster: RosterService) {}

  @Roles(...TOWN_WIDE_ROLES)
  @Query(() => [DutyRosterEntryType], { description: "AL-6: the duty roster of the city command centre and the caller's towns" })
  async dutyRoster(@CurrentPrincipal() caller: Principal, @Args() args: DutyRosterArgs): Promise<DutyRosterEntryType[]> {
    return (await this.roster.list(caller, args.from, args.to)).map(toEntryType);
  }

  @Roles(Role.CITY_ADMIN, Role.TOWN_OFFICER)
  @Mutation(() => DutyRosterEntryType, { description: 'AL-6: names who is on duty on one day (replaces the entry of that day and post)' })
  async setDuty(@CurrentPrincipal() caller: Principal, @Args('input') input: SetDutyInput): Promise<DutyRosterEntryType> {
    return toEntryType(await this.roster.set(caller, input));
  }
}

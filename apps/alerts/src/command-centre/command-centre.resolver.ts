import { Args, Context, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ALERT_STATE_LABELS, AlertState, RISK_COLOUR_LABELS, RiskColour, Role, townName } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Principal, Roles, STAFF_READERS, fieldLoader } from '@homeward/platform';
import { AlertType } from '../alerts/alert.types';
import { toAlertType } from '../alerts/alerts.resolver';
import { DUTY_ROLE_LABELS } from '../roster/roster.types';
import { toEntryType } from '../roster/roster.resolver';
import { CommandCentreService, CommandCentreView, TimelineEntry } from './command-centre.service';
import { ALERT_TIMELINE_KIND_LABELS, AlertTimelineEntryType, AlertTimelineKind, CommandCentreArgs, CommandCentreType } from './command-centre.types';

const town = (code: string) => ({ code, name: townName(code) ?? code });

function sum<K extends string>(rows: CommandCentreView['openCounts'], key: (r: CommandCentreView['openCounts'][number]) => K): Map<K, number> {
  const out = new Map<K, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + r.count);
  return out;
}

export function toCommandCentreType(v: CommandCentreView): CommandCentreType {
  const byColour = sum(v.openCounts, (r) => r.colour);
  const byState = sum(v.openCounts, (r) => r.state);
  const byTown = sum(v.openCounts, (r) => r.town);
  return {
    day: v.day,
    towns: v.towns.map(town),
    openCounts: v.openCounts.map((c) => ({ ...c, town: town(c.town), colourLabel: RISK_COLOUR_LABELS[c.colour], stateLabel: ALERT_STATE_LABELS[c.state] })),
    openByColour: [RiskColour.RED, RiskColour.ORANGE, RiskColour.YELLOW, RiskColour.BLUE].map((colour) => ({ colour, colourLabel: RISK_COLOUR_LABELS[colour], count: byColour.get(colour) ?? 0 })),
    openByState: [AlertState.OPEN, AlertState.ESCALATED, AlertState.ACKNOWLEDGED].map((state) => ({ state, stateLabel: ALERT_STATE_LABELS[state], count: byState.get(state) ?? 0 })),
    openByTown: [...byTown].map(([code, count]) => ({ town: town(code), count })),
    overdueAcknowledgementCount: v.overdueCount,
    overdueAcknowledgements: v.overdue.map(toAlertType),
    escalationsToday: v.escalationsToday.map((s) => ({ ...s, dutyRoleLabel: DUTY_ROLE_LABELS[s.dutyRole], alert: toAlertType(s.alert) })),
    onDuty: v.onDuty.map(toEntryType),
  };
}

/**
 * Issue 11 item 5: the command-centre view (CITY_ADMIN: every town or one; a town officer: its towns),
 * one alert by id, and the timeline of any alert read (AL-1). The alert's `person` is the Person entity
 * reference, so the gateway resolves the person's whole record from the other subgraphs.
 */
@Resolver(() => AlertType)
export class CommandCentreResolver {
  constructor(private readonly centre: CommandCentreService) {}

  @Roles(Role.CITY_ADMIN, Role.TOWN_OFFICER)
  @Query(() => CommandCentreType, { description: "Issue 11 item 5: the command-centre view of the caller's towns today / 指挥中心" })
  async commandCentre(@CurrentPrincipal() caller: Principal, @Args() args: CommandCentreArgs): Promise<CommandCentreType> {
    return toCommandCentreType(await this.centre.view(caller, args.town, args.first));
  }

  @Roles(...STAFF_READERS)
  @Query(() => AlertType, { description: "One alert of the caller's towns (another town's: NOT_FOUND) / 预警详情" })
  async alert(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<AlertType> {
    return toAlertType(await this.centre.alert(caller, id));
  }

  @ResolveField(() => [AlertTimelineEntryType], { description: 'AL-1: raised, escalated (to whom), acknowledged by whom, resolved with a note; oldest first' })
  async timeline(@Parent() alert: AlertType, @Context() ctx: LoaderContext): Promise<AlertTimelineEntryType[]> {
    const entries = await fieldLoader<TimelineEntry[]>(
      ctx,
      'alertTimelines',
      (ids) => this.centre.timelinesOf(ids),
      [],
    ).load(alert.id);
    return entries.map((e) => ({ ...e, kind: e.kind as AlertTimelineKind, kindLabel: ALERT_TIMELINE_KIND_LABELS[e.kind as AlertTimelineKind] }));
  }
}

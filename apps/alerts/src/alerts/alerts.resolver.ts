import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ALERT_STATE_LABELS, RISK_COLOUR_LABELS, townName } from '@homeward/domain';
import { CurrentPrincipal, Principal, Roles, STAFF_READERS, STAFF_WRITERS, toConnection } from '@homeward/platform';
import { ruleOf } from '../rules/rule-catalogue';
import { Alert } from './alert.entity';
import { AlertConnection, AlertType, AlertsArgs, ResolveAlertArgs } from './alert.types';
import { AlertsService } from './alerts.service';

export function toAlertType(a: Alert): AlertType {
  return {
    id: a.id,
    rule: a.rule,
    ruleLabel: ruleOf(a.rule)?.label ?? a.rule,
    colour: a.colour,
    colourLabel: RISK_COLOUR_LABELS[a.colour],
    state: a.state,
    stateLabel: ALERT_STATE_LABELS[a.state],
    town: a.town ? { code: a.town, name: townName(a.town) ?? a.town } : null,
    person: a.personKey ? { key: a.personKey } : null,
    recordType: a.recordType,
    recordId: a.recordId,
    raisedAt: a.raisedAt,
    dueBy: a.dueBy,
    acknowledgedAt: a.acknowledgedAt,
    resolvedAt: a.resolvedAt,
    note: a.note,
    deadLetter: deadLetterOf(a),
  };
}

/** AL-7: `BUS.DEAD_LETTER` alerts carry `service:eventId:handler` as record id and the event's name and error in details. */
function deadLetterOf(a: Alert): AlertType['deadLetter'] {
  if (a.rule !== 'BUS.DEAD_LETTER') return null;
  const [service, eventId, ...handler] = a.recordId.split(':');
  return { service, eventId, handler: handler.join(':'), eventName: String(a.details.eventName ?? ''), error: String(a.details.error ?? '') };
}

@Resolver(() => AlertType)
export class AlertsResolver {
  constructor(private readonly alertsService: AlertsService) {}

  @Roles(...STAFF_READERS)
  @Query(() => AlertConnection, { description: 'Alerts in the caller\'s towns, newest first' })
  async alerts(@CurrentPrincipal() caller: Principal, @Args() args: AlertsArgs): Promise<AlertConnection> {
    const page = await this.alertsService.list(caller, args);
    return toConnection(page, toAlertType);
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AlertType)
  async acknowledgeAlert(@CurrentPrincipal() caller: Principal, @Args('id', { type: () => ID }) id: string): Promise<AlertType> {
    return toAlertType(await this.alertsService.acknowledge(caller, id));
  }

  @Roles(...STAFF_WRITERS)
  @Mutation(() => AlertType)
  async resolveAlert(@CurrentPrincipal() caller: Principal, @Args() args: ResolveAlertArgs): Promise<AlertType> {
    return toAlertType(await this.alertsService.resolve(caller, args.id, args.note));
  }
}

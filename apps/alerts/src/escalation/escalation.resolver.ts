import { Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { LoaderContext, fieldLoader } from '@homeward/platform';
import { AlertType } from '../alerts/alert.types';
import { DUTY_ROLE_LABELS } from '../roster/roster.types';
import { AlertEscalation, EscalationService } from './escalation.service';
import { AlertEscalationType } from './escalation.types';

/** The alert's escalation steps (its timeline's "escalated" entries); the alert itself was already read in the caller's towns. */
@Resolver(() => AlertType)
export class AlertEscalationsResolver {
  constructor(private readonly escalation: EscalationService) {}

  @ResolveField(() => [AlertEscalationType], { description: 'AL-1: each escalation step, oldest first' })
  async escalations(@Parent() alert: AlertType, @Context() ctx: LoaderContext): Promise<AlertEscalationType[]> {
    const steps = await fieldLoader<AlertEscalation[]>(ctx, 'alertEscalations', (ids) => this.escalation.escalationsOf(ids), []).load(alert.id);
    return steps.map((s) => ({ ...s, dutyRoleLabel: DUTY_ROLE_LABELS[s.dutyRole] }));
  }

  @ResolveField(() => Int, { description: 'AL-1: 0 not escalated, 1 to the person on duty, 2 to the bureau head on duty' })
  async escalationLevel(@Parent() alert: AlertType, @Context() ctx: LoaderContext): Promise<number> {
    const steps = await fieldLoader<AlertEscalation[]>(ctx, 'alertEscalations', (ids) => this.escalation.escalationsOf(ids), []).load(alert.id);
    return steps.length;
  }
}

import { Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, LoaderContext, Person, Principal, fieldLoader } from '@homeward/platform';
import { Alert } from './alert.entity';
import { AlertType } from './alert.types';
import { AlertsService } from './alerts.service';
import { toAlertType } from './alerts.resolver';

/** Extends the Person entity with the alerts about that person in the caller's towns. */
@Resolver(() => Person)
export class PersonAlertsResolver {
  constructor(private readonly alertsService: AlertsService) {}

  @ResolveReference()
  resolveReference(ref: { __typename: string; key: string }): Person {
    return { key: ref.key };
  }

  @ResolveField(() => [AlertType])
  async alerts(@CurrentPrincipal() caller: Principal, @Parent() person: Person, @Context() ctx: LoaderContext): Promise<AlertType[]> {
    const alerts = await fieldLoader<Alert[]>(ctx, 'personAlerts', (keys) => this.alertsService.findByPersonKeys(caller, keys), []).load(person.key);
    return alerts.map(toAlertType);
  }
}

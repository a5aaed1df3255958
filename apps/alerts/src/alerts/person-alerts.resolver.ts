import { Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { CurrentPrincipal, Person, Principal } from '@homeward/platform';
import { Alert } from './alert.entity';
import { AlertType } from './alert.types';
import { AlertsService } from './alerts.service';
import { toAlertType } from './alerts.resolver';

interface RequestContext {
  loaders?: Map<string, DataLoader<string, unknown>>;
}

/** Extends the Person entity with the alerts about that person in the caller's towns. */
@Resolver(() => Person)
export class PersonAlertsResolver {
  constructor(private readonly alertsService: AlertsService) {}

  @ResolveReference()
  resolveReference(ref: { __typename: string; key: string }): Person {
    return { key: ref.key };
  }

  @ResolveField(() => [AlertType])
  async alerts(@CurrentPrincipal() caller: Principal, @Parent() person: Person, @Context() ctx: RequestContext): Promise<AlertType[]> {
    ctx.loaders ??= new Map();
    let loader = ctx.loaders.get('personAlerts') as DataLoader<string, Alert[]> | undefined;
    if (!loader) {
      loader = new DataLoader(async (keys: readonly string[]) => {
        const byKey = await this.alertsService.findByPersonKeys(caller, keys);
        return keys.map((k) => byKey.get(k) ?? []);
      });
      ctx.loaders.set('personAlerts', loader as DataLoader<string, unknown>);
    }
    return (await loader.load(person.key)).map(toAlertType);
  }
}

import { Context, Field, ID, ObjectType, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Role, townName } from '@homeward/domain';
import { CurrentPrincipal, Person, Principal, Roles, Town } from '@homeward/platform';
import { AftercareCase } from './aftercare-case.entity';
import { AftercareCasesService } from './aftercare-cases.service';

@ObjectType('AftercareCase', { description: '后续照管对象' })
export class AftercareCaseType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field() centre: string;
  @Field() releaseDate: string;
  @Field() status: string;
}

function toType(c: AftercareCase): AftercareCaseType {
  return { id: c.id, town: { code: c.town, name: townName(c.town) ?? c.town }, centre: c.centre, releaseDate: c.releaseDate, status: c.status };
}

@Resolver(() => Person)
export class PersonAftercareResolver {
  constructor(private readonly cases: AftercareCasesService) {}

  @ResolveReference()
  resolveReference(ref: { __typename: string; key: string }): Person {
    return { key: ref.key };
  }

  @Roles(Role.CITY_ADMIN, Role.TOWN_OFFICER, Role.SOCIAL_WORKER)
  @ResolveField(() => [AftercareCaseType], { description: 'This person\'s aftercare cases in the caller\'s towns' })
  async aftercareCases(@CurrentPrincipal() caller: Principal, @Parent() person: Person, @Context() ctx: { loaders?: Map<string, DataLoader<string, AftercareCase[]>> }) {
    ctx.loaders ??= new Map();
    let loader = ctx.loaders.get('aftercareCases');
    if (!loader) {
      loader = new DataLoader(async (keys: readonly string[]) => {
        const byKey = await this.cases.findByPersonKeys(caller, keys);
        return keys.map((k) => byKey.get(k) ?? []);
      });
      ctx.loaders.set('aftercareCases', loader);
    }
    return (await loader.load(person.key)).map(toType);
  }
}

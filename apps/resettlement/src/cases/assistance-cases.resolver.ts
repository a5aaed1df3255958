import { Context, Field, ID, ObjectType, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Role, townName } from '@homeward/domain';
import { CurrentPrincipal, Person, Principal, Roles, Town } from '@homeward/platform';
import { AssistanceCase } from './assistance-case.entity';
import { AssistanceCasesService } from './assistance-cases.service';

@ObjectType('ResettlementCase', { description: '安置帮教对象' })
export class ResettlementCaseType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field({ description: 'CORRECTION_DISCHARGE or PRISON_RELEASE' }) source: string;
  @Field() startDate: string;
  @Field() endDate: string;
  @Field() status: string;
}

function toType(c: AssistanceCase): ResettlementCaseType {
  return { id: c.id, town: { code: c.town, name: townName(c.town) ?? c.town }, source: c.source, startDate: c.startDate, endDate: c.endDate, status: c.status };
}

@Resolver(() => Person)
export class PersonResettlementResolver {
  constructor(private readonly cases: AssistanceCasesService) {}

  @ResolveReference()
  resolveReference(ref: { __typename: string; key: string }): Person {
    return { key: ref.key };
  }

  @Roles(Role.CITY_ADMIN, Role.TOWN_OFFICER, Role.SOCIAL_WORKER)
  @ResolveField(() => [ResettlementCaseType], { description: 'This person\'s resettlement cases in the caller\'s towns' })
  async resettlementCases(@CurrentPrincipal() caller: Principal, @Parent() person: Person, @Context() ctx: { loaders?: Map<string, DataLoader<string, AssistanceCase[]>> }) {
    ctx.loaders ??= new Map();
    let loader = ctx.loaders.get('resettlementCases');
    if (!loader) {
      loader = new DataLoader(async (keys: readonly string[]) => {
        const byKey = await this.cases.findByPersonKeys(caller, keys);
        return keys.map((k) => byKey.get(k) ?? []);
      });
      ctx.loaders.set('resettlementCases', loader);
    }
    return (await loader.load(person.key)).map(toType);
  }
}

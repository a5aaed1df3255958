import { Context, Field, ID, ObjectType, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { townName } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Person, Principal, Roles, STAFF_READERS, Town, fieldLoader } from '@homeward/platform';
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

  @Roles(...STAFF_READERS)
  @ResolveField(() => [ResettlementCaseType], { description: 'This person\'s resettlement cases in the caller\'s towns' })
  async resettlementCases(@CurrentPrincipal() caller: Principal, @Parent() person: Person, @Context() ctx: LoaderContext) {
    const cases = await fieldLoader<AssistanceCase[]>(ctx, 'resettlementCases', (keys) => this.cases.findByPersonKeys(caller, keys), []).load(person.key);
    return cases.map(toType);
  }
}

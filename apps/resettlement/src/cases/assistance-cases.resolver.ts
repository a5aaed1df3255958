import { Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, LoaderContext, Person, Principal, Roles, STAFF_READERS, fieldLoader } from '@homeward/platform';
import { ResettlementCaseType, toCaseType } from './case.types';
import { AssistanceCase } from './assistance-case.entity';
import { AssistanceCasesService } from './assistance-cases.service';

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
    return cases.map(toCaseType);
  }
}

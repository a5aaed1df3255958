import { Context, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { Clock, CurrentPrincipal, LoaderContext, Person, Principal, Roles, STAFF_READERS, fieldLoader } from '@homeward/platform';
import { AftercareCase } from './aftercare-case.entity';
import { AftercareCaseType, toCaseType } from './aftercare-case.types';
import { AftercareCasesService } from './aftercare-cases.service';

@Resolver(() => Person)
export class PersonAftercareResolver {
  constructor(
    private readonly cases: AftercareCasesService,
    private readonly clock: Clock,
  ) {}

  @ResolveReference()
  resolveReference(ref: { __typename: string; key: string }): Person {
    return { key: ref.key };
  }

  @Roles(...STAFF_READERS)
  @ResolveField(() => [AftercareCaseType], { description: 'This person\'s aftercare cases in the caller\'s towns (audited) / 后续照管' })
  async aftercareCases(@CurrentPrincipal() caller: Principal, @Parent() person: Person, @Context() ctx: LoaderContext) {
    const cases = await fieldLoader<AftercareCase[]>(ctx, 'aftercareCases', (keys) => this.cases.findByPersonKeys(caller, keys), []).load(person.key);
    const today = this.clock.today();
    return cases.map((c) => toCaseType(c, today));
  }
}

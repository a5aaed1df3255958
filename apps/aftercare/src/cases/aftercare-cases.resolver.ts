import { Context, Field, ID, ObjectType, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { townName } from '@homeward/domain';
import { CurrentPrincipal, LoaderContext, Person, Principal, Roles, STAFF_READERS, Town, fieldLoader } from '@homeward/platform';
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

  @Roles(...STAFF_READERS)
  @ResolveField(() => [AftercareCaseType], { description: 'This person\'s aftercare cases in the caller\'s towns' })
  async aftercareCases(@CurrentPrincipal() caller: Principal, @Parent() person: Person, @Context() ctx: LoaderContext) {
    const cases = await fieldLoader<AftercareCase[]>(ctx, 'aftercareCases', (keys) => this.cases.findByPersonKeys(caller, keys), []).load(person.key);
    return cases.map(toType);
  }
}

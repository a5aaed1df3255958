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
  @Field() keyPerson: boolean;
  @Field({ nullable: true, description: 'AC-2: first contact due by' }) contactDue?: string;
  @Field({ nullable: true }) firstContactOn?: string;
  @Field({ nullable: true }) lastRelapseOn?: string;
  @Field({ nullable: true }) closedOn?: string;
  @Field({ nullable: true }) closureReason?: string;
}

function toType(c: AftercareCase): AftercareCaseType {
  // Read through rowsByPersonKeyInTowns: a case in the city queue (town null) is never among them.
  const town = c.town as string;
  return {
    id: c.id,
    town: { code: town, name: townName(town) ?? town },
    centre: c.centre,
    releaseDate: c.releaseDate,
    status: c.status,
    keyPerson: c.keyPerson,
    contactDue: c.contactDue ?? undefined,
    firstContactOn: c.firstContactOn ?? undefined,
    lastRelapseOn: c.lastRelapseOn ?? undefined,
    closedOn: c.closedOn ?? undefined,
    closureReason: c.closureReason ?? undefined,
  };
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

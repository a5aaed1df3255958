import { ResolveReference, Resolver } from '@nestjs/graphql';
import { findTown } from '@homeward/domain';
import { Town } from '@homeward/platform';

/** Identity returns Town entities (me.towns), so it can also resolve a Town reference. */
@Resolver(() => Town)
export class TownResolver {
  @ResolveReference()
  resolveReference(ref: { __typename: string; code: string }): Town | null {
    const town = findTown(ref.code);
    return town ? { code: town.code, name: town.name } : null;
  }
}

/** GraphQL types every subgraph shares: the Town and Person entities and Relay-style paging. */
import { Directive, Field, ID, Int, ObjectType } from '@nestjs/graphql';

/** A town of Jiangyin; every subgraph may add its own fields (indicators, caseloads). */
@ObjectType()
@Directive('@key(fields: "code")')
export class Town {
  @Field(() => ID)
  code: string;

  @Directive('@shareable')
  @Field({ description: '中文名称' })
  name: string;
}

@ObjectType()
@Directive('@shareable')
export class PageInfo {
  @Field(() => String, { nullable: true })
  endCursor: string | null;

  @Field()
  hasNextPage: boolean;
}

@ObjectType({ isAbstract: true })
export abstract class Connection {
  @Field(() => Int)
  totalCount: number;

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

/**
 * One person across workstreams, keyed by personKey (docs/architecture.md "Data ownership"). Each subgraph
 * adds its own fields with @ResolveField (correctionCases, alerts, …), so a field exists only in the
 * subgraph that can really resolve it.
 */
@ObjectType()
@Directive('@key(fields: "key")')
export class Person {
  @Field(() => ID)
  key: string;
}

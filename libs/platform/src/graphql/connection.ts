import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { encodeCursor } from '../query/cursor';
import { Connection } from './shared.types';

/** The default page size of every list (`first` when omitted). */
export const DEFAULT_PAGE_SIZE = 20;

/** `first` / `after` of a keyset-paged list query. */
export interface PageRequest {
  first: number;
  after?: string;
}

/**
 * The paging arguments of a list query, `first` at most `max` (1..max, 20 when omitted) and `after`
 * (the endCursor of the previous page). Extend it with the list's filters:
 * `@ArgsType() class LeavesArgs extends PageArgsUpTo(100) { … }`; `PageArgs` is the usual one.
 */
export function PageArgsUpTo(max: number): Type<PageRequest> {
  @ArgsType()
  abstract class PageArgsOf implements PageRequest {
    @Field(() => Int, { defaultValue: DEFAULT_PAGE_SIZE, description: `page size, at most ${max} / 每页条数，最多 ${max}` })
    @IsInt()
    @Min(1)
    @Max(max)
    first: number;

    @Field(() => String, { nullable: true, description: 'endCursor of the previous page / 上一页的 endCursor' })
    @IsOptional()
    @IsString()
    after?: string;
  }
  return PageArgsOf as unknown as Type<PageRequest>;
}

/** Paging arguments with pages of at most 100 (every list but the caseload's). */
@ArgsType()
export class PageArgs extends PageArgsUpTo(100) {}

/** One edge of a connection: the node and the cursor to continue after it. */
export interface EdgeOf<N> {
  cursor: string;
  node: N;
}

/** The GraphQL shape of a Relay-style connection of `N`. */
export interface ConnectionShape<N> {
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  edges: EdgeOf<N>[];
}

/**
 * The Edge and Connection object types of a node type, named `<name>Edge` / `<name>Connection`:
 * `@ObjectType() class LeaveConnection extends ConnectionOf(LeaveType, 'Leave') {}`.
 */
export function ConnectionOf<N>(node: Type<N>, name: string): Type<ConnectionShape<N>> {
  @ObjectType(`${name}Edge`)
  class Edge implements EdgeOf<N> {
    @Field()
    cursor: string;

    @Field(() => node)
    node: N;
  }

  @ObjectType({ isAbstract: true })
  abstract class ConnectionOfNode extends Connection implements ConnectionShape<N> {
    @Field(() => [Edge])
    edges: Edge[];
  }
  return ConnectionOfNode as unknown as Type<ConnectionShape<N>>;
}

/** What a service's list returns: a page of rows (keysetPage's Page, or one built by hand). */
export interface RowPage<R> {
  items: readonly R[];
  totalCount: number;
  hasNextPage: boolean;
}

/**
 * A page of rows as a connection: each row mapped to its node, its cursor from `cursorOf` (the
 * keyset cursor over (createdAt, id) unless given), `endCursor` the last edge's cursor.
 */
export function toConnection<R extends { createdAt: Date; id: string }, N>(page: RowPage<R>, toNode: (row: R) => N): ConnectionShape<N>;
export function toConnection<R, N>(page: RowPage<R>, toNode: (row: R) => N, cursorOf: (row: R) => string): ConnectionShape<N>;
export function toConnection<R, N>(page: RowPage<R>, toNode: (row: R) => N, cursorOf?: (row: R) => string): ConnectionShape<N> {
  const cursor = cursorOf ?? ((row: R) => encodeCursor(row as unknown as { createdAt: Date; id: string }));
  const edges = page.items.map((row) => ({ cursor: cursor(row), node: toNode(row) }));
  return {
    totalCount: page.totalCount,
    pageInfo: { endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null, hasNextPage: page.hasNextPage },
    edges,
  };
}

/**
 * Whether the connection field being resolved selects `totalCount` (directly, in an inline fragment
 * or a named one). A list passes it to keysetPage's `count` so a page nobody counts costs no COUNT
 * (issue 13 S5).
 */
export function selectsTotalCount(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): boolean {
  const seen = new Set<string>();
  const has = (set: SelectionSetNode | undefined): boolean =>
    !!set &&
    set.selections.some((sel) => {
      if (sel.kind === Kind.FIELD) return sel.name.value === 'totalCount';
      if (sel.kind === Kind.INLINE_FRAGMENT) return has(sel.selectionSet);
      const name = sel.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      return has(info.fragments[name]?.selectionSet);
    });
  return info.fieldNodes.some((node) => has(node.selectionSet));
}

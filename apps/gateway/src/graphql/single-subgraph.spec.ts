import { composeServices } from '@apollo/composition';
import { GraphQLSchema, parse } from 'graphql';
import { graphqlArmor } from '@homeward/platform';
import { RouteCache, routeDocument, supergraphOwnership, variablesPass } from './single-subgraph';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])';

/** Two subgraphs: identity owns Person's fields, correction owns subjects and refers to Person by key. */
function supergraph(): { sdl: string; api: GraphQLSchema } {
  const result = composeServices([
    {
      name: 'identity',
      url: 'http://identity/graphql',
      typeDefs: parse(`${LINK}
        type Query { me: Me! node(id: ID!): Node people: [Person!]! }
        type Mutation { rename(name: String!): Me! }
        type Subscription { ticks: Int! }
        type Me { id: ID! username: String! }
        interface Node { id: ID! }
        type Person @key(fields: "key") { key: ID! maskedName: String! }`),
    },
    {
      name: 'community-correction',
      url: 'http://correction/graphql',
      typeDefs: parse(`${LINK}
        type Query { caseload(first: Int): [Subject!]! }
        type Subject { id: ID! status: String! person: Person! }
        type Person @key(fields: "key") { key: ID! cases: Int! }`),
    },
  ]);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('; '));
  return { sdl: result.supergraphSdl, api: result.schema.toAPISchema().toGraphQLJSSchema() };
}

describe('issue 13 S3: which operations one subgraph answers alone (single-subgraph.ts)', () => {
  const { sdl, api } = supergraph();
  const own = supergraphOwnership(sdl);
  const rules = graphqlArmor(true).validationRules;
  const route = (query: string, operationName?: string) => {
    const r = routeDocument(api, own, query, operationName, rules);
    return r.kind === 'subgraph' ? r.subgraph : 'hive';
  };

  it('reads the join directives: subgraph names, the types each defines, the fields each resolves', () => {
    expect([...own.graphNames.values()].sort()).toEqual(['community-correction', 'identity']);
    expect(own.typeGraphs.get('Person')?.size).toBe(2);
    expect(own.fieldGraphs.get('Person.maskedName')?.size).toBe(1);
  });

  it('one subgraph\'s own fields, with aliases, fragments, @skip/@include and __typename, go to it', () => {
    expect(route('{ me { id username } }')).toBe('identity');
    expect(route('query Q($s: Boolean!) { who: me { ...M __typename } } fragment M on Me { id username @skip(if: $s) }', 'Q')).toBe('identity');
    expect(route('{ caseload(first: 20) { id status person { key } } }')).toBe('community-correction');
    expect(route('mutation { rename(name: "x") { id } }')).toBe('identity');
  });

  it('anything the planner has to join, and every refusal, goes through Hive Gateway', () => {
    // Person.maskedName lives in identity, the subject in correction: an entity fetch
    expect(route('{ caseload { id person { maskedName } } }')).toBe('hive');
    // two root fields of two subgraphs
    expect(route('{ me { id } caseload { id } }')).toBe('hive');
    // an interface: its implementations may live anywhere
    expect(route('{ node(id: "1") { id } }')).toBe('hive');
    // introspection, subscriptions, unknown fields, syntax errors, too many aliases, a missing operation
    expect(route('{ __schema { queryType { name } } }')).toBe('hive');
    expect(route('subscription { ticks }')).toBe('hive');
    expect(route('{ me { nope } }')).toBe('hive');
    expect(route('{ me { id }')).toBe('hive');
    expect(route(`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { id }`).join(' ')} }`)).toBe('hive');
    expect(route('query A { me { id } }', 'B')).toBe('hive');
    expect(route('query A { me { id } } query B { caseload { id } }')).toBe('hive');
  });

  it('variables: a control character, a value that does not coerce, or a cost over the limit send it through Hive Gateway', () => {
    const r = routeDocument(api, own, 'query C($n: Int) { caseload(first: $n) { id status @include(if: true) } }', undefined, rules);
    if (r.kind !== 'subgraph') throw new Error('expected a subgraph route');
    expect(variablesPass(api, r, { n: 20 })).toBe(true);
    expect(variablesPass(api, r, { n: 'twenty' })).toBe(false);
    expect(variablesPass(api, r, { n: 20, s: 'a\u0000b' })).toBe(false);
    expect(variablesPass(api, r, { n: 1_000_000 })).toBe(false);
  });

  it('keeps at most its size of routes, the least recently used leaving first', () => {
    const cache = new RouteCache(2);
    cache.set('a', { kind: 'hive' });
    cache.set('b', { kind: 'hive' });
    cache.get('a');
    cache.set('c', { kind: 'hive' });
    expect([cache.get('a'), cache.get('b'), cache.get('c')].map(Boolean)).toEqual([true, false, true]);
    expect(cache.size).toBe(2);
  });
});

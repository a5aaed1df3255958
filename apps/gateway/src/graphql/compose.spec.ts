import { composeSupergraph } from './compose';

const header = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n';

describe(composeSupergraph.name, () => {
  it('composes two federation-2 subgraphs that share Person @key(fields: "key")', () => {
    const outcome = composeSupergraph([
      {
        name: 'identity',
        url: 'http://identity/graphql',
        sdl: `${header} type Query { me: String } type Person @key(fields: "key") { key: ID! }`,
      },
      {
        name: 'community-correction',
        url: 'http://correction/graphql',
        sdl: `${header} type Query { subjects: [String!]! } type Person @key(fields: "key") { key: ID! correctionCases: [String!]! }`,
      },
    ]);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.supergraphSdl).toContain('join__Graph');
    expect(outcome.supergraphSdl).toContain('COMMUNITY_CORRECTION');
    expect(outcome.supergraphSdl).toContain('correctionCases');
  });

  it('lists composition errors when two subgraphs disagree on a field type', () => {
    const outcome = composeSupergraph([
      { name: 'a', url: 'http://a/graphql', sdl: `${header} type Query { x: Int }` },
      { name: 'b', url: 'http://b/graphql', sdl: `${header} type Query { x: String }` },
    ]);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors.join('\n')).toMatch(/Query\.x/);
  });

  it('names the subgraph whose SDL does not parse', () => {
    const outcome = composeSupergraph([{ name: 'broken', url: 'http://b/graphql', sdl: 'type Query {' }]);
    expect(outcome).toEqual({ ok: false, errors: [expect.stringMatching(/^broken: Syntax Error/)] });
  });
});

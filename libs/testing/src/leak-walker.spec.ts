import { buildSchema, parse, validate } from 'graphql';
import { LeakMarkers, entityKeysOf, entityProbes, leakedMarkers, rootFieldProbes } from './leak-walker';

const schema = buildSchema(`
  scalar DateTime
  scalar _Any
  enum Colour { RED BLUE }
  type Town { code: ID! name: String! }
  type Person { key: ID! maskedIdNumber: String cases(first: Int): [Case!]! }
  type Case { id: ID! town: Town! person: Person! openedOn: String! }
  type CaseEdge { node: Case! }
  type CaseConnection { edges: [CaseEdge!]! totalCount: Int! }
  input OpenCaseInput { personKey: ID! town: String! openedOn: String! colour: Colour! note: String }
  union _Entity = Person | Case
  type Query {
    case(id: ID!): Case
    cases(first: Int = 20, town: String): CaseConnection!
    search(query: String!): [Case!]!
    _entities(representations: [_Any!]!): [_Entity]!
  }
  type Mutation { openCase(input: OpenCaseInput!): Case! }
`);
const markers: LeakMarkers = {
  ids: ['id-b', 'id-c'],
  personKeys: ['pk-b'],
  town: '104',
  search: '乙某',
  idNumber: '320281198103031234',
  today: '2026-03-02',
  secrets: ['320281********1234'],
};

describe('leak walker (issue 12 item 6: probes generated from the schema)', () => {
  const probes = rootFieldProbes(schema, markers);

  it('makes one valid operation per root field (and per id marker for a query taking an id), never _entities or _service', () => {
    expect(probes.map((p) => p.name)).toEqual(['Query.case#0', 'Query.case#1', 'Query.cases', 'Query.search', 'Mutation.openCase']);
    for (const p of probes) expect(validate(schema, parse(p.query))).toEqual([]);
  });

  it('points every argument at the markers: ids, person keys, the town, the search text, dates', () => {
    const byName = Object.fromEntries(probes.map((p) => [p.name, p.variables]));
    expect(byName['Query.case#0']).toEqual({ id: 'id-b' });
    expect(byName['Query.case#1']).toEqual({ id: 'id-c' });
    expect(byName['Query.cases']).toEqual({ town: '104' });
    expect(byName['Query.search']).toEqual({ query: '乙某' });
    expect(byName['Mutation.openCase']).toEqual({ input: { personKey: 'pk-b', town: '104', openedOn: '2026-03-02', colour: 'RED' } });
  });

  it('selects the leaves and the objects two levels down, through connections', () => {
    const cases = probes.find((p) => p.name === 'Query.cases')!.query;
    expect(cases).toContain('edges { node { id openedOn town { code name } person { key maskedIdNumber cases { id openedOn } } } }');
    expect(cases).toContain('totalCount');
  });

  it("builds an _entities probe per @key type of a subgraph's SDL", () => {
    const keys = entityKeysOf(parse(`type Person @key(fields: "key") { key: ID! } extend type Case @key(fields: "id") { id: ID! } type Other { a: Int }`));
    expect(keys).toEqual({ Person: ['key'], Case: ['id'] });
    const ep = entityProbes(schema, keys, markers);
    expect(ep.map((p) => p.name)).toEqual(['_entities(Person)#0', '_entities(Case)#0', '_entities(Case)#1']);
    expect(ep[0].variables).toEqual({ r: [{ __typename: 'Person', key: 'pk-b' }] });
    for (const p of ep) expect(validate(schema, parse(p.query))).toEqual([]);
  });

  it('finds a marker in data, never in errors (which may echo the arguments)', () => {
    expect(leakedMarkers({ case: { id: 'id-b', person: { maskedIdNumber: '320281********1234' } } }, markers)).toEqual(['id-b', '320281********1234']);
    expect(leakedMarkers({ case: null }, markers)).toEqual([]);
    expect(leakedMarkers(null, markers)).toEqual([]);
    // An _entities answer carries back the key it was given: that alone is no leak, anything beside it is.
    expect(leakedMarkers({ _entities: [{ key: 'pk-b', alerts: [] }] }, markers, ['pk-b'])).toEqual([]);
    expect(leakedMarkers({ _entities: [{ key: 'pk-b', alerts: [{ id: 'id-c' }] }] }, markers, ['pk-b'])).toEqual(['id-c']);
  });
});

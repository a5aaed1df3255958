import { FragmentDefinitionNode, Kind, OperationDefinitionNode, parse } from 'graphql';
import { operationCost } from './armor';
import { rootFieldNames } from './subgraph-access.plugin';

function split(query: string): { operation: OperationDefinitionNode; fragments: Record<string, FragmentDefinitionNode> } {
  const doc = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  let operation: OperationDefinitionNode | undefined;
  for (const d of doc.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    if (d.kind === Kind.OPERATION_DEFINITION) operation = d;
  }
  return { operation: operation!, fragments };
}

const cost = (query: string, variables?: Record<string, unknown>): number => {
  const { operation, fragments } = split(query);
  return operationCost(operation, fragments, variables);
};

describe(operationCost.name, () => {
  const LIST = (first: string) => `list(first: ${first}) { edges { node { id name } } }`;

  it('costs like graphql-armor: objects 2, scalars 1, ×1.5 a level, first/last multiply', () => {
    // node: 2 + 1.5×2 = 5; edges: 2 + 1.5×5 = 9.5; list: 2 + 1.5×9.5 = 16.25
    expect(cost(`{ ${LIST('1')} }`)).toBe(16.25);
    expect(cost(`{ ${LIST('200')} }`)).toBe(3250);
    expect(cost(`{ a { b } c }`)).toBe(2 + 1.5 + 1);
    expect(cost(`{ __schema { types { name } } }`)).toBe(0);
  });

  it('issue 6 item 12: counts `first` given as a variable (or a variable default) like the literal', () => {
    expect(cost(`query($n: Int) { ${LIST('$n')} }`, { n: 200 })).toBe(3250);
    expect(cost(`query($n: Int = 200) { ${LIST('$n')} }`)).toBe(3250);
    expect(cost(`query($n: Int = 200) { ${LIST('$n')} }`, { n: 2 })).toBe(32.5);
    expect(cost(`query($n: Int) { ${LIST('$n')} }`)).toBe(16.25);
    expect(cost(`query($n: Int) { ${LIST('$n')} }`, { n: 'x' })).toBe(16.25);
  });

  it('follows fragments, once each', () => {
    const viaFragment = cost(`query($n: Int) { list(first: $n) { ...E } } fragment E on Conn { edges { node { id } } }`, { n: 100 });
    expect(viaFragment).toBeGreaterThan(cost(`query($n: Int) { list(first: $n) { ...E } } fragment E on Conn { edges { node { id } } }`, { n: 1 }) * 99);
  });
});

describe(rootFieldNames.name, () => {
  it('names root fields through inline fragments and spreads', () => {
    const { operation, fragments } = split(`query { _service { sdl } ... on Query { __typename } ...F } fragment F on Query { a: other }`);
    expect(rootFieldNames(operation, fragments)).toEqual(['_service', '__typename', 'other']);
  });
});

import {
  ConstDirectiveNode,
  DocumentNode,
  FragmentDefinitionNode,
  getNamedType,
  getOperationAST,
  GraphQLSchema,
  isLeafType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  parse,
  SelectionSetNode,
  specifiedRules,
  validate,
  ValidationRule,
  ValueNode,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values';
import { findInputViolation, GRAPHQL_LIMITS, noControlCharactersRule, operationCost } from '@homeward/platform';

/**
 * Issue 13 S3: operations that one subgraph answers alone go to it as they are, without Hive Gateway's
 * planner, executor and result projection — a third of the gateway's cost of a trivial query.
 *
 * An operation qualifies only when everything the gateway would check holds — the document parses
 * within the token limit, is valid against the supergraph's API schema with the gateway's armor rules
 * (depth, aliases, directives, no control characters), names an existing query or mutation, its
 * variables are clean, coerce, and keep it within the cost limit — and when ONE subgraph resolves every
 * field it selects: each field's type belongs to that subgraph (`@join__type`) and the field is its own
 * (no `@join__field`, or one for that subgraph without `external`, `requires`, `provides` or
 * `usedOverridden`), objects only (no interface or union, whose members may live elsewhere), no
 * directive but `@skip`/`@include`, no introspection field. Anything else — including every refusal —
 * goes through Hive Gateway as before, which answers it as it always did.
 */

/** Which subgraphs resolve what, read from the supergraph SDL's join directives. */
export interface SupergraphOwnership {
  /** join__Graph enum value → subgraph name (`@join__graph(name:)`). */
  readonly graphNames: ReadonlyMap<string, string>;
  /** Object type → the subgraphs that define it (enum values). */
  readonly typeGraphs: ReadonlyMap<string, ReadonlySet<string>>;
  /** `Type.field` → the subgraphs that resolve it themselves, when the field has join__field directives. */
  readonly fieldGraphs: ReadonlyMap<string, ReadonlySet<string>>;
  /** Object types no single subgraph can be trusted with (interface objects). */
  readonly excludedTypes: ReadonlySet<string>;
}

function argument(d: ConstDirectiveNode, name: string): ValueNode | undefined {
  return d.arguments?.find((a) => a.name.value === name)?.value;
}

function enumArgument(d: ConstDirectiveNode, name: string): string | undefined {
  const v = argument(d, name);
  return v?.kind === Kind.ENUM ? v.value : undefined;
}

function isTrue(d: ConstDirectiveNode, name: string): boolean {
  const v = argument(d, name);
  return v?.kind === Kind.BOOLEAN && v.value;
}

/** Reads the join directives of a supergraph SDL (as composed by @apollo/composition, federation 2). */
export function supergraphOwnership(supergraphSdl: string): SupergraphOwnership {
  const doc = parse(supergraphSdl);
  const graphNames = new Map<string, string>();
  const typeGraphs = new Map<string, Set<string>>();
  const fieldGraphs = new Map<string, Set<string>>();
  const excludedTypes = new Set<string>();
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === 'join__Graph') {
      for (const v of def.values ?? []) {
        const d = v.directives?.find((x) => x.name.value === 'join__graph');
        const name = d && argument(d, 'name');
        if (name?.kind === Kind.STRING) graphNames.set(v.name.value, name.value);
      }
    }
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION && def.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const typeName = def.name.value;
    const graphs = typeGraphs.get(typeName) ?? new Set<string>();
    typeGraphs.set(typeName, graphs);
    for (const d of def.directives ?? []) {
      if (d.name.value !== 'join__type') continue;
      const g = enumArgument(d, 'graph');
      if (g) graphs.add(g);
      if (isTrue(d, 'isInterfaceObject')) excludedTypes.add(typeName);
    }
    for (const field of def.fields ?? []) {
      const joins = field.directives?.filter((x) => x.name.value === 'join__field') ?? [];
      if (joins.length === 0) continue;
      const own = new Set<string>();
      for (const j of joins) {
        const g = enumArgument(j, 'graph');
        if (!g) continue;
        if (isTrue(j, 'external') || isTrue(j, 'usedOverridden') || argument(j, 'requires') || argument(j, 'provides')) continue;
        own.add(g);
      }
      fieldGraphs.set(`${typeName}.${field.name.value}`, own);
    }
  }
  return { graphNames, typeGraphs, fieldGraphs, excludedTypes };
}

const ALLOWED_DIRECTIVES = new Set(['skip', 'include']);

function onlySkipInclude(directives: readonly { name: { value: string } }[] | undefined): boolean {
  return (directives ?? []).every((d) => ALLOWED_DIRECTIVES.has(d.name.value));
}

/**
 * The subgraphs (enum values) that can answer `selectionSet` on `typeName` alone, or an empty set.
 * `candidates` narrows as fields are met.
 */
function graphsFor(
  schema: GraphQLSchema,
  own: SupergraphOwnership,
  fragments: Record<string, FragmentDefinitionNode>,
  typeName: string,
  selectionSet: SelectionSetNode,
  candidates: Set<string> | undefined,
  seenFragments: Set<string>,
): Set<string> {
  const type = schema.getType(typeName);
  if (!isObjectType(type) || own.excludedTypes.has(typeName)) return new Set();
  const narrow = (to: ReadonlySet<string> | undefined, from: Set<string> | undefined): Set<string> => {
    const base = to ?? new Set<string>();
    return from === undefined ? new Set(base) : new Set([...from].filter((g) => base.has(g)));
  };
  let c = narrow(own.typeGraphs.get(typeName), candidates);
  for (const sel of selectionSet.selections) {
    if (c.size === 0) return c;
    if (!onlySkipInclude(sel.directives)) return new Set();
    if (sel.kind === Kind.FIELD) {
      const name = sel.name.value;
      if (name === '__typename') continue;
      if (name.startsWith('__')) return new Set();
      const field = type.getFields()[name];
      if (!field) return new Set();
      const joined = own.fieldGraphs.get(`${typeName}.${name}`);
      if (joined) c = narrow(joined, c);
      const named = getNamedType(field.type);
      if (isLeafType(named)) {
        if (sel.selectionSet) return new Set();
        continue;
      }
      if (!isObjectType(named) || !sel.selectionSet) return new Set();
      c = graphsFor(schema, own, fragments, named.name, sel.selectionSet, c, seenFragments);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      if (sel.typeCondition && sel.typeCondition.name.value !== typeName) return new Set();
      c = graphsFor(schema, own, fragments, typeName, sel.selectionSet, c, seenFragments);
    } else {
      const fragment = fragments[sel.name.value];
      if (!fragment || fragment.typeCondition.name.value !== typeName || seenFragments.has(sel.name.value)) return new Set();
      if (!onlySkipInclude(fragment.directives)) return new Set();
      const seen = new Set(seenFragments).add(sel.name.value);
      c = graphsFor(schema, own, fragments, typeName, fragment.selectionSet, c, seen);
    }
  }
  return c;
}

/** What the gateway decided for one document and operation name. */
export type DocumentRoute =
  | { kind: 'hive' }
  | { kind: 'subgraph'; subgraph: string; document: DocumentNode; operation: OperationDefinitionNode; fragments: Record<string, FragmentDefinitionNode> };

/**
 * The static part of the decision, for one document and operation name (cached by the caller): the
 * subgraph that answers it alone, or `hive` for everything else (and every refusal, which Hive Gateway
 * words as the clients know it).
 */
export function routeDocument(
  schema: GraphQLSchema,
  own: SupergraphOwnership,
  query: string,
  operationName: string | undefined,
  armorRules: readonly ValidationRule[],
): DocumentRoute {
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: GRAPHQL_LIMITS.maxTokens });
  } catch {
    return { kind: 'hive' };
  }
  if (validate(schema, document, [...specifiedRules, noControlCharactersRule, ...armorRules]).length > 0) return { kind: 'hive' };
  const operation = getOperationAST(document, operationName);
  if (!operation || operation.operation === OperationTypeNode.SUBSCRIPTION || !onlySkipInclude(operation.directives)) return { kind: 'hive' };
  const root = operation.operation === OperationTypeNode.QUERY ? schema.getQueryType() : schema.getMutationType();
  if (!root) return { kind: 'hive' };
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const graphs = graphsFor(schema, own, fragments, root.name, operation.selectionSet, undefined, new Set());
  const first = [...graphs].sort()[0];
  const subgraph = first && own.graphNames.get(first);
  return subgraph ? { kind: 'subgraph', subgraph, document, operation, fragments } : { kind: 'hive' };
}

/**
 * The per-request part: the variables hold no control character, coerce to the operation's variable
 * types, and keep the operation within the cost limit (a `first: $n` costs what the literal costs).
 * False sends the request through Hive Gateway, which refuses it as before.
 */
export function variablesPass(schema: GraphQLSchema, route: Extract<DocumentRoute, { kind: 'subgraph' }>, variables: Record<string, unknown> | undefined): boolean {
  if (findInputViolation(variables ?? {}, 'variables')) return false;
  const coerced = getVariableValues(schema, route.operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
  if (coerced.errors) return false;
  return operationCost(route.operation, route.fragments, variables) <= GRAPHQL_LIMITS.maxCost;
}

/** A small least-recently-used map of routes by document text (the documents front ends send are few). */
export class RouteCache {
  private readonly map = new Map<string, DocumentRoute>();

  constructor(private readonly max = 1_000) {}

  get(key: string): DocumentRoute | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: DocumentRoute): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }

  get size(): number {
    return this.map.size;
  }
}

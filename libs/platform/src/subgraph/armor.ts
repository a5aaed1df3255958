import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  Kind,
  OperationDefinitionNode,
  SelectionNode,
  ValidationRule,
  ValueNode,
  valueFromASTUntyped,
} from 'graphql';

/**
 * graphql-armor limits (issue 2 item 6), the same at the gateway and in every subgraph
 * (issue 6 item 12): depth, cost, aliases, directives, tokens.
 */
export const GRAPHQL_LIMITS = {
  maxDepth: 10,
  maxCost: 5000,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
} as const;

/** graphql-armor's cost-limit defaults, kept so a literal query costs what armor made it cost. */
const COST = { objectCost: 2, scalarCost: 1, depthCostFactor: 1.5 } as const;

/** Arguments whose value multiplies the cost of the list below them. */
const LIST_SIZE_ARGUMENTS = new Set(['first', 'last']);

type Variables = Readonly<Record<string, unknown>> | undefined;

function listSizeOf(value: ValueNode, variables: Variables, operation: OperationDefinitionNode): number | undefined {
  if (value.kind === Kind.INT) return parseInt(value.value, 10);
  if (value.kind === Kind.VARIABLE) {
    const name = value.name.value;
    const given = variables?.[name];
    const fallback = operation.variableDefinitions?.find((d) => d.variable.name.value === name)?.defaultValue;
    const resolved = given !== undefined ? given : fallback ? valueFromASTUntyped(fallback) : undefined;
    const n = typeof resolved === 'number' ? resolved : typeof resolved === 'string' ? parseInt(resolved, 10) : NaN;
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/**
 * The cost of an operation the way graphql-armor's cost-limit computes it (objects 2, scalars 1,
 * ×1.5 per level, a `first`/`last` argument multiplies its subtree) — except that a list size given
 * as a variable counts like the same literal (issue 6 item 12: `first: $n` with n = 200 used to
 * cost as if n were 1). Fragments are followed; a fragment seen before costs what it cost then.
 */
export function operationCost(
  operation: OperationDefinitionNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Variables,
): number {
  const visited = new Map<string, number>();
  const cost = (node: SelectionNode | FragmentDefinitionNode): number => {
    if (node.kind === Kind.FIELD && node.name.value === '__schema') return 0;
    if (node.kind === Kind.FRAGMENT_SPREAD) {
      const name = node.name.value;
      const seen = visited.get(name);
      if (seen !== undefined) return COST.scalarCost + COST.depthCostFactor * Math.max(seen, 0);
      visited.set(name, -1);
      const fragment = fragments[name];
      if (!fragment) return COST.scalarCost;
      const inner = cost(fragment);
      if (visited.get(name) === -1) visited.set(name, inner);
      return COST.scalarCost + COST.depthCostFactor * inner;
    }
    const selectionSet = node.selectionSet;
    if (!selectionSet) return COST.scalarCost;
    let total: number = COST.objectCost;
    let multiplier = 1;
    for (const arg of (node as FieldNode).arguments ?? []) {
      if (!LIST_SIZE_ARGUMENTS.has(arg.name.value)) continue;
      const n = listSizeOf(arg.value, variables, operation);
      if (n !== undefined) multiplier = Math.max(n, multiplier);
      break;
    }
    for (const child of selectionSet.selections) total += COST.depthCostFactor * cost(child);
    return total * multiplier;
  };
  return operation.selectionSet.selections.reduce((sum, child) => sum + cost(child), 0);
}

/**
 * The cost limit as an Apollo plugin: it runs once the operation and its variables are known
 * (a validation rule never sees variable values), and refuses with 400 GRAPHQL_VALIDATION_FAILED
 * before anything executes — no resolver runs, no audit row is written.
 */
export function costLimitPlugin(maxCost: number, exposeLimits: boolean): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
          const cost = operationCost(operation, fragments, request.variables);
          if (cost > maxCost) {
            const message = exposeLimits ? `Query Cost limit of ${maxCost} exceeded, found ${cost}.` : 'Query validation error.';
            throw new GraphQLError(`Syntax Error: ${message}`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/**
 * The armor of every GraphQL endpoint here (gateway and subgraphs): graphql-armor's depth, alias and
 * directive limits and hidden field suggestions, the variable-aware cost limit, and the parser's token limit.
 */
export function graphqlArmor(production: boolean): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
  /** Apollo Server `parseOptions`: the token limit, enforced by graphql-js' parser (a 400 GRAPHQL_PARSE_FAILED). */
  parseOptions: { maxTokens: number };
} {
  const exposeLimits = !production;
  const protection = new ApolloArmor({
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth, exposeLimits },
    // Replaced by costLimitPlugin, which sees variable values.
    costLimit: { enabled: false },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases, exposeLimits },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives, exposeLimits },
    // graphql-armor checks tokens in parsingDidStart, where a refusal becomes a 500: the parser's
    // own limit (parseOptions below) answers 400.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return {
    plugins: [...protection.plugins, costLimitPlugin(GRAPHQL_LIMITS.maxCost, exposeLimits)],
    validationRules: protection.validationRules,
    parseOptions: { maxTokens: GRAPHQL_LIMITS.maxTokens },
  };
}

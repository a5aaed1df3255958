import type { ApolloServerPlugin } from '@apollo/server';
import { FragmentDefinitionNode, GraphQLError, Kind, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuditWriter } from '../audit/audit-writer';
import { bearerToken } from '../auth/verify-token';
import { carriesGatewaySecret } from '../context/request-context';

/** Root fields a caller with neither token nor gateway secret may ask outside production. */
const OPEN_OUTSIDE_PRODUCTION = new Set(['__schema', '__type', '__typename', '_service']);

/** The root field names of an operation (through inline fragments and fragment spreads). */
export function rootFieldNames(operation: OperationDefinitionNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode): void => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) names.push(s.name.value);
      else if (s.kind === Kind.INLINE_FRAGMENT) walk(s.selectionSet);
      else if (!seen.has(s.name.value)) {
        seen.add(s.name.value);
        const f = fragments[s.name.value];
        if (f) walk(f.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return names;
}

export interface SubgraphAccessOptions {
  production: boolean;
  /** SUBGRAPH_SHARED_SECRET: what the gateway sends in `x-homeward-gateway-secret`. */
  gatewaySecret?: string;
  /** Audits each refusal once (outcome DENIED), when the app has an audit log. */
  audit?: AuditWriter;
}

interface ContextWithReq {
  req?: { headers: IncomingHttpHeaders; ip?: string };
}

/**
 * Issue 6 items 12 and 15: who may talk to a subgraph at all. A request that carries a bearer token
 * (checked by the AuthGuard on every field) or the gateway secret goes on. Anything else is refused
 * with HTTP 401 UNAUTHENTICATED before execution, except — outside production — introspection and
 * `_service` (development composition without a secret). In production `_service` and `_entities`
 * therefore need the gateway secret or a token.
 */
export function subgraphAccessPlugin(options: SubgraphAccessOptions): ApolloServerPlugin<ContextWithReq> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation }) {
          if (!operation) return;
          const headers = contextValue.req?.headers ?? {};
          if (bearerToken(headers.authorization) || carriesGatewaySecret(headers, options.gatewaySecret)) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
          const fields = rootFieldNames(operation, fragments);
          if (!options.production && operation.operation === 'query' && fields.every((f) => OPEN_OUTSIDE_PRODUCTION.has(f))) return;
          if (options.audit) {
            await options.audit
              .record({
                actor: { anonymous: true },
                action: 'auth.unauthenticated',
                outcome: 'DENIED',
                details: { status: 401, reason: 'no bearer token and no gateway secret', target: fields.slice(0, 20).join(','), ip: contextValue.req?.ip ?? null },
              })
              .catch(() => undefined);
          }
          throw new GraphQLError('A valid bearer token is required / 需要有效的访问令牌', {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        },
      };
    },
  };
}

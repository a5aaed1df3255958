import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ApolloGatewayDriverConfig } from '@nestjs/apollo';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { upstreamAgent } from '@homeward/platform';
import { BearerVerifier, ensureRequestId } from '../proxy/rest-proxy';
import { ForwardingDataSource, GatewayContext } from './forwarding-data-source';
import { SupergraphSource } from './supergraph';
import { createUpstreamFetcher } from './upstream-fetcher';

/** graphql-armor limits (issue 2 item 6): depth, cost, aliases, directives, tokens. */
export const GRAPHQL_LIMITS = {
  maxDepth: 10,
  maxCost: 5000,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
} as const;

export interface GatewayGraphqlOptions {
  production: boolean;
  supergraph: SupergraphSource;
  /** Subgraph name → GraphQL URL from the gateway's config (overrides the URLs in a supergraph file). */
  subgraphUrls: Readonly<Record<string, string>>;
  verifyBearer?: BearerVerifier;
  formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

/** The graphql-armor plugins and validation rules, plus no batching and no stack traces. */
export function armor(production: boolean): ReturnType<ApolloArmor['protect']> {
  const exposeLimits = !production;
  return new ApolloArmor({
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth, exposeLimits },
    costLimit: { maxCost: GRAPHQL_LIMITS.maxCost, exposeLimits },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases, exposeLimits },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives, exposeLimits },
    maxTokens: { n: GRAPHQL_LIMITS.maxTokens, exposeLimits },
    blockFieldSuggestion: { enabled: true },
  }).protect();
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1].trim() : undefined;
}

/**
 * Options for `GraphQLModule.forRootAsync<ApolloGatewayDriverConfig>`: Apollo Gateway at
 * /graphql over the subgraphs, armor limits, no HTTP batching, CSRF prevention, and
 * introspection / landing page / suggestions off in production. A token, when present, is
 * verified here (401 when bad) and forwarded; a request without one reaches the subgraphs,
 * which answer UNAUTHENTICATED where a caller is needed.
 */
export function gatewayGraphqlOptions(options: GatewayGraphqlOptions): ApolloGatewayDriverConfig {
  const protection = armor(options.production);
  const plugins: ApolloServerPlugin[] = [...protection.plugins];
  // One keep-alive agent for all subgraphs: idle sockets close before the subgraphs' servers close them.
  const subgraphAgent = upstreamAgent();
  return {
    server: {
      path: '/graphql',
      plugins,
      validationRules: protection.validationRules,
      allowBatchedHttpRequests: false,
      includeStacktraceInErrorResponses: false,
      csrfPrevention: true,
      introspection: !options.production,
      // GraphiQL in development; nothing in production.
      graphiql: !options.production,
      playground: false,
      ...(options.formatError ? { formatError: options.formatError } : {}),
      context: async ({ req }: { req: IncomingMessage }): Promise<GatewayContext> => {
        const requestId = ensureRequestId(req);
        const token = bearerOf(req);
        if (token && options.verifyBearer) {
          try {
            const principal = await options.verifyBearer(token);
            return { req, requestId, principal };
          } catch {
            throw new GraphQLError('The access token is invalid or expired. / 访问令牌无效或已过期。', {
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
        }
        return { req, requestId };
      },
    },
    gateway: {
      supergraphSdl: options.supergraph,
      buildService: ({ name, url }) =>
        new ForwardingDataSource({ url: options.subgraphUrls[name] ?? url, fetcher: createUpstreamFetcher({ upstream: name, agent: subgraphAgent }) }),
    },
  };
}

import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { ApolloGatewayDriverConfig } from '@nestjs/apollo';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { graphQLErrorPolicyPlugin, graphqlArmor, noControlCharactersRule, upstreamAgent } from '@homeward/platform';
import { BearerVerifier, clientIpOfEdge, ensureRequestId } from '../proxy/rest-proxy';
import { ForwardingDataSource, GatewayContext } from './forwarding-data-source';
import { sandboxLandingPagePlugin } from './sandbox';
import { SupergraphSource } from './supergraph';
import { createUpstreamFetcher } from './upstream-fetcher';

export interface GatewayGraphqlOptions {
  production: boolean;
  supergraph: SupergraphSource;
  /** Subgraph name → GraphQL URL from the gateway's config (overrides the URLs in a supergraph file). */
  subgraphUrls: Readonly<Record<string, string>>;
  verifyBearer?: BearerVerifier;
  /** SUBGRAPH_SHARED_SECRET, sent to every subgraph (composition, `_entities`, every fetch). */
  subgraphSecret?: string;
  formatError?: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
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
  // The same limits as every subgraph (libs/platform/src/subgraph/armor.ts), cost counting `first: $n`.
  const protection = graphqlArmor(options.production);
  const plugins: ApolloServerPlugin[] = [...protection.plugins, graphQLErrorPolicyPlugin()];
  // The GraphQL sandbox in development, from our own packages (no CDN); no landing page in production.
  if (!options.production) plugins.push(sandboxLandingPagePlugin('/graphql'));
  // One keep-alive agent for all subgraphs: idle sockets close before the subgraphs' servers close them.
  const subgraphAgent = upstreamAgent();
  return {
    server: {
      path: '/graphql',
      plugins,
      validationRules: [...protection.validationRules, noControlCharactersRule],
      parseOptions: protection.parseOptions,
      allowBatchedHttpRequests: false,
      includeStacktraceInErrorResponses: false,
      csrfPrevention: true,
      introspection: !options.production,
      // @nestjs/apollo's GraphiQL and Playground load from a CDN: off (the sandbox plugin above instead).
      graphiql: false,
      playground: false,
      ...(options.formatError ? { formatError: options.formatError } : {}),
      context: async ({ req }: { req: IncomingMessage }): Promise<GatewayContext> => {
        const requestId = ensureRequestId(req);
        const clientIp = clientIpOfEdge(req);
        const token = bearerOf(req);
        if (token && options.verifyBearer) {
          try {
            const principal = await options.verifyBearer(token);
            return { req, requestId, clientIp, principal };
          } catch {
            throw new GraphQLError('The access token is invalid or expired. / 访问令牌无效或已过期。', {
              extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
            });
          }
        }
        return { req, requestId, clientIp };
      },
    },
    gateway: {
      supergraphSdl: options.supergraph,
      buildService: ({ name, url }) =>
        new ForwardingDataSource({
          url: options.subgraphUrls[name] ?? url,
          gatewaySecret: options.subgraphSecret,
          fetcher: createUpstreamFetcher({ upstream: name, agent: subgraphAgent }),
        }),
    },
  };
}

import { ApolloGatewayDriver, ApolloGatewayDriverConfig } from '@nestjs/apollo';
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { ConfigModule, formatGraphQLError } from '@homeward/platform';
import { GatewayConfig, upstreamUrls } from './config';
import { gatewayGraphqlOptions } from './graphql/gateway-graphql.options';
import { SupergraphSource, SupergraphStatus } from './graphql/supergraph';
import { SubgraphEndpoint } from './graphql/wait-for-subgraphs';
import { BEARER_VERIFIER, SUPERGRAPH_SOURCE } from './gateway.tokens';
import { OpenApiAggregator } from './openapi/openapi-aggregator';
import { OpenApiController } from './openapi/openapi.controller';
import { BearerVerifier } from './proxy/rest-proxy';
import { SUBGRAPH_NAMES, UPSTREAMS } from './upstreams';

/** The five subgraphs, at `<app URL>/graphql`, probed at `<app URL>/health/live`. */
export function subgraphEndpoints(config: GatewayConfig): SubgraphEndpoint[] {
  const urls = upstreamUrls(config);
  return UPSTREAMS.map((u) => ({ name: SUBGRAPH_NAMES[u], url: `${urls[u]}/graphql`, healthUrl: `${urls[u]}/health/live` }));
}

export interface GatewayModuleOptions {
  config: GatewayConfig;
  verifyBearer: BearerVerifier;
}

/** Where the supergraph comes from, and whether it has loaded (readiness). */
@Module({})
export class SupergraphModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: SupergraphModule,
      providers: [
        SupergraphStatus,
        {
          provide: SUPERGRAPH_SOURCE,
          inject: [SupergraphStatus],
          useFactory: (status: SupergraphStatus) => {
            const logger = new Logger('Supergraph');
            const now = (): Date => new Date();
            return config.SUPERGRAPH_PATH
              ? new SupergraphSource({ kind: 'file', path: config.SUPERGRAPH_PATH, status, logger, now })
              : new SupergraphSource({
                  kind: 'introspect',
                  subgraphs: subgraphEndpoints(config),
                  pollIntervalInMs: config.SUPERGRAPH_POLL_INTERVAL_MS,
                  status,
                  logger,
                  now,
                });
          },
        },
      ],
      exports: [SupergraphStatus, SUPERGRAPH_SOURCE],
    };
  }
}

/**
 * The gateway: Apollo Gateway at /graphql, merged OpenAPI at /api/docs(-json). The REST and
 * WebSocket proxies are plain middleware mounted by `createGatewayApp` before any body parser.
 */
@Module({})
export class GatewayModule {
  static forRoot({ config, verifyBearer }: GatewayModuleOptions): DynamicModule {
    const production = config.NODE_ENV === 'production';
    const supergraph = SupergraphModule.forRoot(config);
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot(GatewayConfig, config),
        supergraph,
        GraphQLModule.forRootAsync<ApolloGatewayDriverConfig>({
          driver: ApolloGatewayDriver,
          imports: [supergraph],
          inject: [SUPERGRAPH_SOURCE],
          useFactory: (source: SupergraphSource) =>
            gatewayGraphqlOptions({
              production,
              supergraph: source,
              subgraphUrls: Object.fromEntries(subgraphEndpoints(config).map((s) => [s.name, s.url])),
              verifyBearer,
              formatError: (formatted, error) => formatGraphQLError(formatted, error, { production }),
            }),
        }),
      ],
      controllers: [OpenApiController],
      providers: [
        { provide: BEARER_VERIFIER, useValue: verifyBearer },
        { provide: OpenApiAggregator, useFactory: () => new OpenApiAggregator({ upstreams: upstreamUrls(config) }) },
      ],
      exports: [BEARER_VERIFIER],
    };
  }
}

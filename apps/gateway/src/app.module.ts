import { DynamicModule, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  Clock,
  JWKS_PROVIDER,
  JwksOverride,
  JwksProvider,
  loadConfig,
  PlatformModule,
  TokenRevocations,
  verifyAccessToken,
} from '@homeward/platform';
import { GatewayConfig, upstreamUrls } from './config';
import { HiveGatewayMounter, SUBGRAPH_URLS } from './graphql/hive-gateway.mounter';
import { SupergraphSource, SupergraphStatus } from './graphql/supergraph';
import { SubgraphEndpoint } from './graphql/wait-for-subgraphs';
import { BEARER_VERIFIER, SUPERGRAPH_SOURCE } from './gateway.tokens';
import { OpenApiAggregator } from './openapi/openapi-aggregator';
import { OpenApiController } from './openapi/openapi.controller';
import { SandboxController } from './graphql/sandbox';
import { BullBoardMounter } from './queues/bull-board.mounter';
import { attachSubscriptionsProxy, BearerVerifier, createRestProxy } from './proxy/rest-proxy';
import { SUBGRAPH_NAMES, UPSTREAMS } from './upstreams';

/** The five subgraphs, at `<app URL>/graphql`, probed at `<app URL>/health/live`. */
export function subgraphEndpoints(config: GatewayConfig): SubgraphEndpoint[] {
  const urls = upstreamUrls(config);
  return UPSTREAMS.map((u) => ({ name: SUBGRAPH_NAMES[u], url: `${urls[u]}/graphql`, healthUrl: `${urls[u]}/health/live` }));
}

/** Where the supergraph comes from, and whether it has loaded. */
@Module({})
export class SupergraphModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: SupergraphModule,
      providers: [
        SupergraphStatus,
        {
          provide: SUPERGRAPH_SOURCE,
          inject: [SupergraphStatus, Clock],
          useFactory: (status: SupergraphStatus, clock: Clock) => {
            const logger = new Logger('Supergraph');
            const now = (): Date => clock.now();
            return config.SUPERGRAPH_PATH
              ? new SupergraphSource({ kind: 'file', path: config.SUPERGRAPH_PATH, status, logger, now })
              : new SupergraphSource({
                  kind: 'introspect',
                  subgraphs: subgraphEndpoints(config),
                  pollIntervalInMs: config.SUPERGRAPH_POLL_INTERVAL_MS,
                  gatewaySecret: config.SUBGRAPH_SHARED_SECRET,
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

/** Verifies a bearer token like every app does (JWKS from identity, the platform clock). */
@Module({})
export class BearerVerifierModule {
  static forRoot(): DynamicModule {
    return {
      module: BearerVerifierModule,
      providers: [
        {
          provide: BEARER_VERIFIER,
          inject: [JWKS_PROVIDER, Clock, TokenRevocations],
          useFactory:
            (keys: JwksProvider, clock: Clock, revocations: TokenRevocations): BearerVerifier =>
            (token) =>
              verifyAccessToken(token, keys, clock.now(), revocations),
        },
      ],
      exports: [BEARER_VERIFIER],
    };
  }
}

/**
 * Mounts the REST reverse proxy and the WebSocket tunnel of the alerts app's first live feed
 * (`/subscriptions`) on the HTTP server. Runs in
 * onModuleInit: after the platform's request-id, metrics and logging middleware (so proxied
 * calls are logged, counted and carry the request id), before Nest's not-found handler.
 * The gateway app is created with `rest: false`: no body parser touches `/api/v1/*`.
 */
@Injectable()
export class ProxyMounter implements OnModuleInit {
  private detachSubscriptions?: () => void;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: GatewayConfig,
    @Inject(BEARER_VERIFIER) private readonly verifyBearer: BearerVerifier,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    const upstreams = upstreamUrls(this.config);
    const gatewaySecret = this.config.SUBGRAPH_SHARED_SECRET;
    adapter.use(createRestProxy({ upstreams, verifyBearer: this.verifyBearer, gatewaySecret }));
    this.detachSubscriptions = attachSubscriptionsProxy(adapter.getHttpServer(), upstreams, gatewaySecret);
  }

  onModuleDestroy(): void {
    this.detachSubscriptions?.();
  }
}

export interface GatewayModuleOptions {
  /** A ready config (tests); else read and validated from the environment. */
  config?: GatewayConfig;
  /** Public keys from somewhere else than `${IDENTITY_URL}/.well-known/jwks.json` (tests). */
  jwks?: JwksOverride;
}

/**
 * The gateway: Hive Gateway at /graphql (HTTP and graphql-ws) over the five subgraphs, the REST
 * proxy, the merged OpenAPI at /api/docs(-json), and the platform's health and metrics.
 * It owns no data: no database, no schema.
 */
@Module({})
export class GatewayModule {
  static forRoot(options: GatewayModuleOptions = {}): DynamicModule {
    const config = options.config ?? loadConfig(GatewayConfig);
    const production = config.NODE_ENV === 'production';
    const supergraph = SupergraphModule.forRoot(config);
    const verifier = BearerVerifierModule.forRoot();
    return {
      module: GatewayModule,
      imports: [
        PlatformModule.forService({ service: 'gateway', config: GatewayConfig, configInstance: config, jwks: options.jwks }),
        supergraph,
        verifier,
      ],
      controllers: production ? [OpenApiController] : [OpenApiController, SandboxController],
      providers: [
        // before the REST proxy's mount, so /admin/queues is never proxied
        BullBoardMounter,
        ProxyMounter,
        HiveGatewayMounter,
        { provide: SUBGRAPH_URLS, useValue: Object.fromEntries(subgraphEndpoints(config).map((s) => [s.name, s.url])) },
        { provide: OpenApiAggregator, useFactory: () => new OpenApiAggregator({ upstreams: upstreamUrls(config) }) },
      ],
    };
  }
}

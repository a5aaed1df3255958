import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { bearerToken, REQUEST_ID_HEADER } from '@homeward/platform';
import { GatewayConfig } from '../config';
import { BEARER_VERIFIER, SUPERGRAPH_SOURCE } from '../gateway.tokens';
import { BearerVerifier, clientIpOfEdge, ensureRequestId } from '../proxy/rest-proxy';
import { pathOf, SUBGRAPH_NAMES } from '../upstreams';
import { CallerInfo, createHiveGateway, EdgeRequest, GRAPHQL_PATH } from './hive-gateway';
import { sandboxHtml } from './sandbox';
import { SupergraphSource } from './supergraph';

/** The parts of `ws` (8.x; it ships no types and @types/ws is not installed) used here. */
interface WsSocketLike {
  terminate(): void;
}
interface WebSocketServer {
  clients: Set<WsSocketLike>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, cb: (ws: WsSocketLike) => void): void;
  emit(event: 'connection', ws: WsSocketLike, req: IncomingMessage): boolean;
  close(cb?: () => void): void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useServer } = require('graphql-ws/use/ws') as typeof import('graphql-ws/dist/use/ws');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WebSocketServer } = require('ws') as { WebSocketServer: new (opts: { noServer: true }) => WebSocketServer };

/** Subgraph name → GraphQL URL, from the gateway's config. */
export const SUBGRAPH_URLS = Symbol('SUBGRAPH_URLS');

const UNAUTHENTICATED = 'The access token is invalid or expired. / 访问令牌无效或已过期。';

/** WebSocket paths served by Hive Gateway (`/subscriptions` stays the tunnel to the alerts app's first feed). */
const WS_PATHS = new Set([GRAPHQL_PATH]);

interface WsExtra extends Record<PropertyKey, unknown> {
  request: EdgeRequest;
  socket: unknown;
  homeward?: CallerInfo;
}

/**
 * Mounts Hive Gateway at /graphql on the gateway's HTTP server, with an edge in front of it:
 * the request id and the client IP the gateway saw, a bearer token verified here (401
 * UNAUTHENTICATED when bad, before any subgraph is asked), and in development the sandbox page.
 * The same runtime serves graphql-ws on /graphql: the token in
 * `connection_init` is verified on connect (4403 when missing or bad).
 */
@Injectable()
export class HiveGatewayMounter implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('HiveGateway');
  private runtime?: GatewayRuntime;
  private wss?: WebSocketServer;
  private wsDisposable?: { dispose(): void | Promise<void> };
  private onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: GatewayConfig,
    @Inject(SUPERGRAPH_SOURCE) private readonly supergraph: SupergraphSource,
    @Inject(BEARER_VERIFIER) private readonly verifyBearer: BearerVerifier,
    @Inject(SUBGRAPH_URLS) private readonly subgraphUrls: Readonly<Record<string, string>>,
  ) {}

  get production(): boolean {
    return this.config.NODE_ENV === 'production';
  }

  async onModuleInit(): Promise<void> {
    // The app starts once a supergraph is there (the file, or every subgraph up and composed).
    await this.supergraph.load();
    const runtime = createHiveGateway({
      production: this.production,
      supergraph: this.supergraph,
      subgraphUrls: this.subgraphUrls,
      subscriptionSubgraphs: [SUBGRAPH_NAMES.alerts],
      subgraphSecret: this.config.SUBGRAPH_SHARED_SECRET,
      logLevel: this.config.LOG_LEVEL,
      queryPlanner: this.config.GATEWAY_QUERY_PLANNER,
    });
    await runtime.getSchema();
    this.runtime = runtime;
    const adapter = this.adapterHost.httpAdapter;
    adapter.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
      if (pathOf(req.url ?? '') !== GRAPHQL_PATH) {
        next();
        return;
      }
      void this.handle(req as EdgeRequest, res);
    });
  }

  onApplicationBootstrap(): void {
    const runtime = this.runtime;
    if (!runtime) return;
    const server = this.adapterHost.httpAdapter.getHttpServer();
    const wss = new WebSocketServer({ noServer: true });
    this.wss = wss;
    this.wsDisposable = useServer<Record<string, unknown> | undefined, WsExtra>(
      {
        ...getGraphQLWSOptions<Record<string, unknown>, WsExtra>(runtime, (ctx) => ({
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          homeward: ctx.extra.homeward,
        })),
        onConnect: async (ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: WsExtra }) => {
          const header = ctx.connectionParams?.authorization ?? ctx.extra.request.headers.authorization;
          const token = bearerToken(typeof header === 'string' ? header : undefined);
          if (!token) return false;
          try {
            await this.verifyBearer(token);
          } catch {
            return false;
          }
          const req = ctx.extra.request;
          const requestId = String(req.headers[REQUEST_ID_HEADER] ?? '');
          const language = req.headers['accept-language'];
          const headers = new Headers({ authorization: `Bearer ${token}`, [REQUEST_ID_HEADER]: requestId });
          if (typeof language === 'string') headers.set('accept-language', language);
          ctx.extra.homeward = { bearer: `Bearer ${token}`, requestId, clientIp: clientIpOfEdge(req), headers };
          return true;
        },
      },
      wss as never,
    );
    this.onUpgrade = (req, socket, head) => {
      if (!WS_PATHS.has(pathOf(req.url ?? ''))) return;
      ensureRequestId(req);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    };
    server.on('upgrade', this.onUpgrade);
  }

  /** Before Nest closes the HTTP server (which waits for upgraded sockets): close the clients (1001). */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.onUpgrade) this.adapterHost.httpAdapter.getHttpServer().off('upgrade', this.onUpgrade);
    await this.wsDisposable?.dispose();
    for (const c of this.wss?.clients ?? []) c.terminate();
    await this.runtime?.dispose();
  }

  private async handle(req: EdgeRequest, res: ServerResponse): Promise<void> {
    const requestId = ensureRequestId(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    if (!this.production && req.method === 'GET' && !/[?&]query=/.test(req.url ?? '') && String(req.headers.accept ?? '').includes('text/html')) {
      res.statusCode = 200;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(sandboxHtml(GRAPHQL_PATH));
      return;
    }
    const header = req.headers.authorization;
    const token = bearerToken(header);
    if (token) {
      try {
        await this.verifyBearer(token);
      } catch {
        res.statusCode = 401;
        res.setHeader('content-type', 'application/json; charset=utf-8');
        res.end(JSON.stringify({ errors: [{ message: UNAUTHENTICATED, extensions: { code: 'UNAUTHENTICATED', requestId } }] }));
        return;
      }
    }
    const headers = new Headers();
    for (const name of ['authorization', REQUEST_ID_HEADER, 'accept-language']) {
      const v = req.headers[name];
      if (typeof v === 'string') headers.set(name, v);
    }
    req.homeward = { bearer: token ? `Bearer ${token}` : undefined, requestId, clientIp: clientIpOfEdge(req), headers };
    try {
      await this.runtime!.requestListener(req, res);
    } catch (err) {
      this.logger.error(`GraphQL request ${requestId} failed: ${(err as Error).message}`);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'application/json; charset=utf-8');
      }
      res.end(JSON.stringify({ errors: [{ message: 'Internal server error / 服务器内部错误', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] }));
    }
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit, Optional } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { bearerToken, graphqlArmor, INTERNAL_ERROR_MESSAGE, METRICS_REGISTRY, REQUEST_ID_HEADER, upstreamAgent } from '@homeward/platform';
import { GraphQLSchema, Kind, OperationDefinitionNode, ValidationRule } from 'graphql';
import { GatewayConfig } from '../config';
import { BEARER_VERIFIER, SUPERGRAPH_SOURCE } from '../gateway.tokens';
import { BearerVerifier, clientIpOfEdge, ensureRequestId } from '../proxy/rest-proxy';
import { pathOf, SUBGRAPH_NAMES } from '../upstreams';
import { applyGatewayErrorPolicy, CallerInfo, createHiveGateway, EdgeRequest, GRAPHQL_PATH } from './hive-gateway';
import { RouteCache, routeDocument, SupergraphOwnership, supergraphOwnership, variablesPass } from './single-subgraph';
import { applySubgraphHeaders } from './subgraph-headers';
import { createUpstreamFetcher } from './upstream-fetcher';
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

/** The response key (alias or name) of an operation's first root field: where a passthrough's transport error is reported. */
function firstResponseKey(operation: OperationDefinitionNode): string {
  const first = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
  return first && first.kind === Kind.FIELD ? (first.alias ?? first.name).value : 'data';
}

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
  /** Issue 13 S3: the single-subgraph passthrough's state, for the runtime's current schema. */
  private passthrough?: { schema: GraphQLSchema; ownership: SupergraphOwnership; routes: RouteCache };
  private armorRules?: ValidationRule[];
  private readonly fetchers = new Map<string, ReturnType<typeof createUpstreamFetcher>>();
  private readonly agent = upstreamAgent();
  private readonly operations: Counter<'route' | 'subgraph'>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: GatewayConfig,
    @Inject(SUPERGRAPH_SOURCE) private readonly supergraph: SupergraphSource,
    @Inject(BEARER_VERIFIER) private readonly verifyBearer: BearerVerifier,
    @Inject(SUBGRAPH_URLS) private readonly subgraphUrls: Readonly<Record<string, string>>,
    @Optional() @Inject(METRICS_REGISTRY) registry?: Registry,
  ) {
    this.operations = new Counter({
      name: 'gateway_graphql_operations_total',
      help: 'GraphQL operations over HTTP by how the gateway ran them: planned by Hive Gateway, or passed to the one subgraph that answers them alone',
      labelNames: ['route', 'subgraph'],
      registers: registry ? [registry] : [],
    });
  }

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
    if (this.config.GATEWAY_SINGLE_SUBGRAPH_PASSTHROUGH && (await this.passThrough(req, res, requestId))) return;
    this.operations.inc({ route: 'planned', subgraph: '' });
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

  /**
   * Issue 13 S3: sends an operation that one subgraph answers alone straight to it (see
   * single-subgraph.ts) and answers the caller; false when the operation is Hive Gateway's to run.
   * Only a JSON POST (body parsed and guarded by the platform's edge) asking for JSON qualifies.
   */
  private async passThrough(req: EdgeRequest, res: ServerResponse, requestId: string): Promise<boolean> {
    if (req.method !== 'POST' || !/^application\/json\b/i.test(String(req.headers['content-type'] ?? ''))) return false;
    const accept = String(req.headers.accept ?? '');
    if (accept !== '' && !/application\/json|\*\/\*/i.test(accept)) return false;
    if (/graphql-response\+json|text\/event-stream|multipart\/mixed/i.test(accept)) return false;
    const body = (req as EdgeRequest & { body?: unknown }).body as { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown } | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.query !== 'string' || body.extensions !== undefined) return false;
    const variables = body.variables ?? undefined;
    if (variables !== undefined && (variables === null || typeof variables !== 'object' || Array.isArray(variables))) return false;
    const operationName = body.operationName ?? undefined;
    if (operationName !== undefined && typeof operationName !== 'string') return false;
    const state = await this.passthroughState();
    if (!state) return false;
    const key = `${operationName ?? ''}\u0000${body.query}`;
    let route = state.routes.get(key);
    if (!route) {
      route = routeDocument(state.schema, state.ownership, body.query, operationName, this.armorRules!);
      state.routes.set(key, route);
    }
    if (route.kind !== 'subgraph' || !variablesPass(state.schema, route, variables as Record<string, unknown> | undefined)) return false;
    const url = this.subgraphUrls[route.subgraph];
    if (!url) return false;
    this.operations.inc({ route: 'subgraph', subgraph: route.subgraph });
    const outgoing = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
    applySubgraphHeaders(outgoing, req.homeward, this.config.SUBGRAPH_SHARED_SECRET);
    let status: number;
    let answer: Buffer | string;
    try {
      const upstream = await this.fetcherFor(route.subgraph).raw(url, {
        method: 'POST',
        headers: outgoing,
        body: JSON.stringify({ query: body.query, ...(variables !== undefined ? { variables } : {}), ...(operationName !== undefined ? { operationName } : {}) }),
      });
      status = upstream.status;
      answer = upstream.body;
    } catch (err) {
      // Never sent again through Hive Gateway: a mutation may have run. The caller gets what Hive
      // Gateway's error policy gives for a subgraph that did not answer.
      this.logger.error(`GraphQL request ${requestId}: ${route.subgraph} did not answer: ${(err as Error).message}`);
      status = 200;
      answer = JSON.stringify({ data: null, errors: [{ message: INTERNAL_ERROR_MESSAGE, path: [firstResponseKey(route.operation)], extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    }
    // An answer without errors goes back byte for byte; one with errors through the error policy.
    if (status >= 300 || answer.includes('"errors"')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.toString());
      } catch {
        parsed = undefined;
      }
      const result =
        parsed && typeof parsed === 'object' && !Array.isArray(parsed) && ('data' in parsed || 'errors' in parsed)
          ? (parsed as Record<string, unknown>)
          : { data: null, errors: [{ message: `${route.subgraph} answered ${status} without a GraphQL result`, path: [firstResponseKey(route.operation)] }] };
      const policed = applyGatewayErrorPolicy(result, requestId, this.logger);
      // As Yoga does: an error's `extensions.http` sets the answer's status and is not shown.
      let errorStatus: number | undefined;
      for (const e of (policed.errors as Array<{ extensions?: Record<string, unknown> }> | undefined) ?? []) {
        const http = e.extensions?.http as { status?: unknown } | undefined;
        if (http && typeof http.status === 'number') errorStatus = Math.max(errorStatus ?? 0, http.status);
        if (e.extensions) delete e.extensions.http;
      }
      status = errorStatus ?? (status >= 300 ? 200 : status);
      answer = JSON.stringify(policed);
    }
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.end(answer);
    return true;
  }

  /** The passthrough's schema (Hive Gateway's API schema) and the supergraph's join directives, rebuilt when the schema changes. */
  private async passthroughState(): Promise<{ schema: GraphQLSchema; ownership: SupergraphOwnership; routes: RouteCache } | undefined> {
    const schema = await this.runtime?.getSchema();
    if (!schema) return undefined;
    if (this.passthrough?.schema !== schema) {
      const sdl = this.supergraph.current;
      if (!sdl) return undefined;
      this.armorRules ??= graphqlArmor(this.production).validationRules;
      this.passthrough = { schema, ownership: supergraphOwnership(sdl), routes: new RouteCache() };
    }
    return this.passthrough;
  }

  private fetcherFor(subgraph: string): ReturnType<typeof createUpstreamFetcher> {
    let f = this.fetchers.get(subgraph);
    if (!f) {
      f = createUpstreamFetcher({ upstream: subgraph, agent: this.agent });
      this.fetchers.set(subgraph, f);
    }
    return f;
  }
}

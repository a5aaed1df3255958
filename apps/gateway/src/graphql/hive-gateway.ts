import type { IncomingMessage } from 'node:http';
import { Logger as NestLogger } from '@nestjs/common';
import { createGatewayRuntime, GatewayPlugin, GatewayRuntime, Logger as HiveLogger, LogLevel, useCustomFetch } from '@graphql-hive/gateway-runtime';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import httpTransport from '@graphql-mesh/transport-http';
import { unifiedGraphHandler as rustQueryPlanner } from '@graphql-hive/router-runtime';
import wsTransport from '@graphql-mesh/transport-ws';
import { FragmentDefinitionNode, getOperationAST, GraphQLError, Kind, OperationDefinitionNode } from 'graphql';
import type { Plugin as EnvelopPlugin } from '@envelop/core';
import {
  findInputViolation,
  GRAPHQL_LIMITS,
  INTERNAL_ADDRESS,
  INTERNAL_ERROR_MESSAGE,
  isCallerErrorCode,
  noControlCharactersRule,
  operationCost,
  REQUEST_ID_HEADER,
  upstreamAgent,
  violationMessage,
} from '@homeward/platform';
import { applySubgraphHeaders, CallerRequest } from './subgraph-headers';
import { SupergraphSource } from './supergraph';
import { createUpstreamFetcher, Fetcher } from './upstream-fetcher';

/** What the gateway hangs on a caller's request (HTTP) or WebSocket connection before Hive Gateway runs. */
export interface CallerInfo extends CallerRequest {
  /** The caller's `authorization` header (`Bearer …`), already verified when present. */
  bearer?: string;
}

/** The Node request behind a Hive Gateway context, with what the gateway's edge put on it. */
export type EdgeRequest = IncomingMessage & { homeward?: CallerInfo };

export interface HiveGatewayOptions {
  production: boolean;
  supergraph: SupergraphSource;
  /** Subgraph name → GraphQL URL from the gateway's config (overrides the URLs in a supergraph file). */
  subgraphUrls: Readonly<Record<string, string>>;
  /** Subgraphs whose `Subscription` fields Hive Gateway reaches over graphql-ws at their `/graphql`. */
  subscriptionSubgraphs: readonly string[];
  /** SUBGRAPH_SHARED_SECRET, sent to every subgraph (composition, `_entities`, every fetch, the WebSocket). */
  subgraphSecret?: string;
  /** The app's LOG_LEVEL: Hive Gateway's own log goes to the Nest logger at this level. */
  logLevel?: string;
  /** GATEWAY_QUERY_PLANNER: Hive Router's Rust planner (default) or Hive Gateway's JavaScript one. */
  queryPlanner?: 'rust' | 'javascript';
}

export const GRAPHQL_PATH = '/graphql';

/** Hive Gateway's logger writing into Nest's (so `logger: false` and LOG_LEVEL hold for it too). */
function hiveLogger(level: string | undefined): HiveLogger {
  const nest = new NestLogger('HiveGateway');
  const hiveLevel: LogLevel = level === 'debug' || level === 'trace' ? 'debug' : level === 'error' || level === 'fatal' ? 'error' : 'warn';
  return new HiveLogger({
    level: hiveLevel,
    writers: [
      {
        write(lvl, attrs, msg) {
          const text = `${msg ?? ''}${attrs ? ` ${JSON.stringify(attrs, (_k, v: unknown) => (v instanceof Error ? v.message : v)).slice(0, 2000)}` : ''}`;
          if (lvl === 'error') nest.error(text);
          else if (lvl === 'warn') nest.warn(text);
          else nest.debug(text);
        },
      },
    ],
  });
}

/** The caller info of a Hive Gateway context: HTTP requests carry it on `req`, WebSocket ones in `homeward`. */
export function callerOf(context: unknown): CallerInfo | undefined {
  const c = context as { homeward?: CallerInfo; req?: EdgeRequest } | undefined;
  return c?.homeward ?? c?.req?.homeward;
}

function refusal(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

/**
 * What the gateway checks once an operation and its variables are known, before anything executes
 * (issue 6 items 12/13): the operation named in operationName exists (else 400
 * OPERATION_RESOLUTION_FAILURE), no control character in the variables (400 BAD_USER_INPUT), and the
 * variable-aware cost limit (a `first: $n` costs what the literal costs).
 */
function operationPolicyPlugin(production: boolean): EnvelopPlugin {
  const check = (args: { document: { definitions: readonly { kind: string }[] }; operationName?: string | null; variableValues?: Record<string, unknown> | null }): void => {
    const document = args.document as Parameters<typeof getOperationAST>[0];
    const operation: OperationDefinitionNode | null | undefined = getOperationAST(document, args.operationName ?? undefined);
    if (!operation) {
      const name = args.operationName;
      throw refusal(
        name
          ? `The document has no operation named "${name.slice(0, 100)}". / 文档中没有名为 "${name.slice(0, 100)}" 的操作。`
          : 'The document has several operations: name one in operationName. / 文档包含多个操作，请在 operationName 中指定。',
        'OPERATION_RESOLUTION_FAILURE',
      );
    }
    const violation = findInputViolation(args.variableValues ?? {}, 'variables');
    if (violation) {
      const err = refusal(`${violation.field} ${violationMessage(violation)}`, 'BAD_USER_INPUT');
      (err.extensions as Record<string, unknown>).field = violation.field;
      throw err;
    }
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const cost = operationCost(operation, fragments, args.variableValues ?? undefined);
    if (cost > GRAPHQL_LIMITS.maxCost) {
      const message = production ? 'Query validation error.' : `Query Cost limit of ${GRAPHQL_LIMITS.maxCost} exceeded, found ${cost}.`;
      throw refusal(`Syntax Error: ${message}`, 'GRAPHQL_VALIDATION_FAILED');
    }
  };
  return {
    onValidate({ addValidationRule }) {
      // issue 6 items 5/13: a control character in a string literal is refused like one in variables
      addValidationRule(noControlCharactersRule);
    },
    onExecute({ args }) {
      check(args);
    },
    onSubscribe({ args }) {
      check(args);
    },
  };
}

interface ErrorLike {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: Record<string, unknown>;
  originalError?: unknown;
}

/**
 * Issue 6 item 14 at the gateway: every error the caller gets carries `extensions.requestId`, a
 * refusal keeps its message, anything else (a subgraph down, a transport failure) becomes the
 * generic internal message with INTERNAL_SERVER_ERROR — no address, port, socket error or stack —
 * and is logged with its request id.
 */
function gatewayErrorPolicy(e: ErrorLike, requestId: string | undefined, logger: Pick<NestLogger, 'error'>): GraphQLError {
  const ext: Record<string, unknown> = { ...(e.extensions ?? {}) };
  const http = ext.http as { status?: number } | undefined;
  const status = http?.status;
  const preExecution = !e.path;
  const refusal = isCallerErrorCode(ext.code) || (ext.code === undefined && ((status !== undefined && status >= 400 && status < 500) || preExecution));
  // Yoga answers a validation error (`http.spec`) 200 to an `application/json` caller; Apollo Gateway answered 400.
  let message = e.message;
  if (!refusal || INTERNAL_ADDRESS.test(message)) {
    logger.error(`GraphQL error${requestId ? ` (request ${requestId})` : ''}: ${message}${e.originalError instanceof Error && e.originalError.message !== message ? ` (${e.originalError.message})` : ''}`);
    message = INTERNAL_ERROR_MESSAGE;
    if (!isCallerErrorCode(ext.code)) ext.code = 'INTERNAL_SERVER_ERROR';
  } else if (ext.code === undefined) {
    ext.code = status === 401 ? 'UNAUTHENTICATED' : status === 403 ? 'FORBIDDEN' : 'GRAPHQL_VALIDATION_FAILED';
  }
  // A refusal before execution (parse, validation: depth, aliases, unknown field, introspection) is a 400.
  if (preExecution && (status === undefined || status === 200 || (http as { spec?: boolean } | undefined)?.spec)) ext.http = { status: status && status >= 400 ? status : 400 };
  delete ext.stacktrace;
  delete ext.exception;
  delete ext.originalError;
  if (requestId) ext.requestId = requestId;
  return new GraphQLError(message, { path: e.path, extensions: ext });
}

/**
 * The same policy on a result the gateway did not execute itself (the single-subgraph passthrough,
 * issue 13 S3): every error through {@link gatewayErrorPolicy}, the rest of the result untouched.
 */
export function applyGatewayErrorPolicy(result: Record<string, unknown>, requestId: string | undefined, logger: Pick<NestLogger, 'error'>): Record<string, unknown> {
  const errors = result.errors;
  if (!Array.isArray(errors) || errors.length === 0) return result;
  return { ...result, errors: errors.map((e) => gatewayErrorPolicy((e && typeof e === 'object' ? e : { message: String(e) }) as ErrorLike, requestId, logger).toJSON()) };
}

function errorPolicyPlugin(logger: NestLogger): GatewayPlugin {
  const policy = (e: ErrorLike, requestId: string | undefined): GraphQLError => gatewayErrorPolicy(e, requestId, logger);
  return {
    onResultProcess({ request, result, setResult }) {
      if (!result || typeof (result as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function') return;
      const requestId = request.headers.get(REQUEST_ID_HEADER) ?? undefined;
      const one = (r: { errors?: readonly ErrorLike[] }) => (r.errors?.length ? { ...r, errors: r.errors.map((e) => policy(e, requestId)) } : r);
      setResult((Array.isArray(result) ? result.map(one) : one(result as { errors?: readonly ErrorLike[] })) as never);
    },
  } as GatewayPlugin;
}

/**
 * Hive Gateway's custom fetch towards the subgraphs: the keep-alive fetcher with one retry on a
 * stale pooled socket (issue 14 item 9; an upstream down is named, never addressed), and the
 * headers of {@link applySubgraphHeaders} on every request.
 */
function subgraphFetch(options: HiveGatewayOptions): (url: string, init?: RequestInit, context?: unknown) => Promise<Response> {
  const agent = upstreamAgent();
  const fetchers = new Map<string, Fetcher>();
  const byUrl = new Map(Object.entries(options.subgraphUrls).map(([name, url]) => [url.replace(/\/+$/, ''), name]));
  const fetcherFor = (url: string): Fetcher => {
    const u = new URL(url);
    const key = `${u.origin}${u.pathname}`.replace(/\/+$/, '');
    const name = byUrl.get(key) ?? 'subgraph';
    let f = fetchers.get(name);
    if (!f) {
      f = createUpstreamFetcher({ upstream: name, agent });
      fetchers.set(name, f);
    }
    return f;
  };
  return (url, init = {}, context) => {
    const headers = new Headers(init.headers);
    applySubgraphHeaders(headers, callerOf(context) ?? { headers: new Headers() }, options.subgraphSecret);
    const body = typeof init.body === 'string' || init.body instanceof Uint8Array ? init.body : init.body == null ? undefined : String(init.body);
    return fetcherFor(url)(url, { method: init.method ?? 'GET', headers, body, signal: init.signal ?? undefined });
  };
}

/**
 * Hive Gateway (`@graphql-hive/gateway-runtime`) at /graphql over the supergraph composed by
 * @apollo/composition: the HTTP transport to every subgraph, graphql-ws to the subscription
 * subgraphs (`/graphql` on the alerts app), armor limits, no HTTP batching, CSRF prevention,
 * introspection, landing page and suggestions off in production. The bearer token is verified and
 * the caller's request prepared by the edge middleware before this runs (hive-gateway.mounter.ts).
 */
export function createHiveGateway(options: HiveGatewayOptions): GatewayRuntime {
  const logger = new NestLogger('GraphQL');
  const exposeLimits = !options.production;
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth, exposeLimits },
    // Replaced by operationPolicyPlugin's cost limit, which sees variable values.
    costLimit: { enabled: false },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases, exposeLimits },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives, exposeLimits },
    maxTokens: { n: GRAPHQL_LIMITS.maxTokens, exposeLimits },
    blockFieldSuggestion: { enabled: true },
  });
  const transportEntries: Record<string, Record<string, unknown>> = {};
  for (const [name, url] of Object.entries(options.subgraphUrls)) {
    // No in-flight sharing of subgraph calls: @graphql-tools/executor-http shares one upstream call
    // between identical queries in flight, keyed by URL and body only — the caller's token is added
    // later, by subgraphFetch — so a town officer would get the answer the subgraph computed for
    // another caller (and the subgraph would audit one read for several).
    transportEntries[name] = { location: url, options: { deduplicateInflightRequests: false } };
  }
  for (const name of options.subscriptionSubgraphs) {
    transportEntries[name] = {
      ...transportEntries[name],
      options: {
        ...(transportEntries[name]?.options as Record<string, unknown> | undefined),
        subscriptions: {
          kind: 'ws',
          location: GRAPHQL_PATH,
          headers: options.subgraphSecret ? [['x-homeward-gateway-secret', options.subgraphSecret]] : undefined,
          // the caller's verified token, in graphql-ws' connection_init (the subgraph checks it again)
          options: { connectionParams: { authorization: '{context.homeward.bearer}' } },
        },
      },
    };
  }
  return createGatewayRuntime({
    supergraph: () => options.supergraph.load(),
    // Hive Router's query planner and executor (issue 13 S3: less gateway CPU per call than the stitching planner)
    ...((options.queryPlanner ?? 'rust') === 'rust' ? { unifiedGraphHandler: rustQueryPlanner } : {}),
    ...(options.supergraph.pollIntervalInMs ? { pollingInterval: options.supergraph.pollIntervalInMs } : {}),
    graphqlEndpoint: GRAPHQL_PATH,
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries,
    logging: hiveLogger(options.logLevel),
    // the sandbox is served by the edge middleware in development; nothing of Hive's own
    landingPage: false,
    graphiql: false,
    // no HTTP batching (Yoga refuses a JSON array unless `batching` is set)
    batching: undefined,
    // Apollo-style CSRF prevention: a GET or a "simple" POST needs one of these headers
    csrfPrevention: { requestHeaders: ['apollo-require-preflight', 'x-apollo-operation-name', 'x-graphql-yoga-csrf'] },
    ...(options.production ? { disableIntrospection: {} } : {}),
    maskedErrors: { isDev: false },
    // the platform's middleware gives every request its id (and forwards it)
    requestId: false,
    plugins: () => [
      useCustomFetch(subgraphFetch(options) as Parameters<typeof useCustomFetch>[0]),
      armor as unknown as GatewayPlugin,
      operationPolicyPlugin(options.production) as unknown as GatewayPlugin,
      {
        onContextBuilding({ context, extendContext }: { context: Record<string, unknown>; extendContext: (c: Record<string, unknown>) => void }) {
          const caller = callerOf(context);
          if (caller && !context.homeward) extendContext({ homeward: caller });
        },
      } as unknown as GatewayPlugin,
      errorPolicyPlugin(logger),
    ],
  });
}

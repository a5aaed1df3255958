import { randomUUID } from 'node:crypto';
import type { Agent, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Logger } from '@nestjs/common';
import { REQUEST_ID_HEADER, upstreamAgent } from '@homeward/platform';
import { createProxyMiddleware, fixRequestBody, RequestHandler } from 'http-proxy-middleware';
import { pathOf, PROXY_MOUNTS, routeFor, SUBSCRIPTIONS_PATH, SUBSCRIPTIONS_UPSTREAM, UpstreamUrls } from '../upstreams';
import { problem, sendProblem } from './problem';

/** Express-compatible middleware signature, without depending on express' types. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Checks a bearer token the gateway was given. Resolves when valid, rejects when not.
 * The gateway forwards every request; the owning app verifies again (ARCHITECTURE.md).
 */
export type BearerVerifier = (token: string) => Promise<unknown>;

export interface RestProxyOptions {
  upstreams: UpstreamUrls;
  verifyBearer?: BearerVerifier;
  /** Upstream answer timeout; a slow upstream yields 504. */
  timeoutMs?: number;
  /** Keep-alive agent towards the apps (default: idle sockets closed before the apps' servers close them, issue 14 item 9). */
  agent?: Agent;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request id: the one the platform's middleware put on `req.id`, else a well-formed
 * incoming `x-request-id`, else a new one. Written onto the request headers so it is
 * forwarded upstream.
 */
export function ensureRequestId(req: IncomingMessage & { id?: unknown }): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const header = Array.isArray(incoming) ? incoming[0] : incoming;
  const id =
    typeof req.id === 'string' && REQUEST_ID_PATTERN.test(req.id)
      ? req.id
      : header && REQUEST_ID_PATTERN.test(header)
        ? header
        : randomUUID();
  req.headers[REQUEST_ID_HEADER] = id;
  return id;
}

function isUnderMount(path: string): boolean {
  return PROXY_MOUNTS.some((m) => path === m || path.startsWith(`${m}/`));
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match ? match[1].trim() : undefined;
}

/**
 * The REST reverse proxy: `/api/v1/<area>/*` and `/.well-known/jwks.json` go to the owning
 * app with method, headers, body and status intact. It must be mounted before any body
 * parser; should a parser have consumed a body anyway, the body is re-streamed.
 * Unknown `/api/v1/*` → 404 problem+json; upstream down → 502; upstream too slow → 504.
 */
export function createRestProxy(options: RestProxyOptions): Middleware {
  const logger = new Logger('RestProxy');
  const started = new WeakMap<IncomingMessage, number>();
  const timedOut = new WeakSet<IncomingMessage>();
  const proxy: RequestHandler<IncomingMessage, ServerResponse> = createProxyMiddleware<IncomingMessage, ServerResponse>({
    router: (req) => {
      const route = routeFor(req.url ?? '');
      // The outer middleware only hands over routed requests.
      return route ? options.upstreams[route.upstream] : undefined;
    },
    changeOrigin: true,
    agent: options.agent ?? upstreamAgent(),
    xfwd: true,
    autoRewrite: true,
    proxyTimeout: options.timeoutMs ?? 30_000,
    on: {
      proxyReq: (proxyReq, req) => {
        proxyReq.on('timeout', () => timedOut.add(req));
        fixRequestBody(proxyReq, req as IncomingMessage & { body?: unknown });
      },
      proxyRes: (proxyRes, req) => {
        proxyRes.headers[REQUEST_ID_HEADER] = String(req.headers[REQUEST_ID_HEADER]);
        const t0 = started.get(req);
        logger.debug(
          `${req.method} ${pathOf(req.url ?? '')} → ${proxyRes.statusCode} in ${t0 ? Date.now() - t0 : '?'} ms`,
        );
      },
      error: (err, req, res) => {
        const code = (err as NodeJS.ErrnoException).code;
        const requestId = String(req.headers[REQUEST_ID_HEADER] ?? '');
        const route = routeFor(req.url ?? '');
        logger.warn(`${req.method} ${pathOf(req.url ?? '')} → ${route?.upstream ?? '?'} failed: ${code ?? err.message}`);
        if (!isResponse(res)) {
          res.destroy();
          return;
        }
        sendProblem(
          res,
          timedOut.has(req)
            ? problem(504, `${route?.upstream ?? 'The upstream app'} did not answer in time. / 上游服务响应超时。`, req.url)
            : problem(502, `${route?.upstream ?? 'The upstream app'} could not be reached. / 上游服务不可用。`, req.url),
          requestId,
        );
      },
    },
  });

  return (req, res, next) => {
    const path = pathOf(req.url ?? '');
    if (!isUnderMount(path)) {
      next();
      return;
    }
    const requestId = ensureRequestId(req);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const route = routeFor(path);
    if (!route) {
      sendProblem(res, problem(404, `No service answers ${path}. / 没有服务处理该路径。`, path), requestId);
      return;
    }
    started.set(req, Date.now());
    const token = bearerOf(req);
    if (token && options.verifyBearer) {
      options.verifyBearer(token).then(
        () => void proxy(req, res, next),
        () => sendProblem(res, problem(401, 'The access token is invalid or expired. / 访问令牌无效或已过期。', path), requestId),
      );
      return;
    }
    void proxy(req, res, next);
  };
}

function isResponse(res: ServerResponse | Socket): res is ServerResponse {
  return typeof (res as ServerResponse).writeHead === 'function';
}

/**
 * Proxy the graphql-ws live alert feed (`/subscriptions`) to the alerts app. The alerts app
 * checks the token on connect. Returns a function that detaches the listener.
 */
export function attachSubscriptionsProxy(server: Server, upstreams: UpstreamUrls): () => void {
  const logger = new Logger('SubscriptionsProxy');
  const wsProxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    target: upstreams[SUBSCRIPTIONS_UPSTREAM],
    changeOrigin: true,
    ws: true,
    on: {
      error: (err, _req, res) => {
        logger.warn(`WebSocket proxy to ${SUBSCRIPTIONS_UPSTREAM} failed: ${err.message}`);
        if (isResponse(res)) {
          sendProblem(res, problem(502, `${SUBSCRIPTIONS_UPSTREAM} could not be reached. / 上游服务不可用。`));
        } else {
          res.destroy();
        }
      },
    },
  });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (pathOf(req.url ?? '') !== SUBSCRIPTIONS_PATH) return;
    ensureRequestId(req);
    wsProxy.upgrade(req, socket as Socket, head);
  };
  server.on('upgrade', onUpgrade);
  return () => server.off('upgrade', onUpgrade);
}

import { randomUUID } from 'node:crypto';
import type { Agent, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Logger } from '@nestjs/common';
import {
  CLIENT_IP_HEADER,
  findInputViolation,
  GATEWAY_SECRET_HEADER,
  INPUT_LIMITS,
  InvalidEncodingException,
  isValidUtf8,
  normaliseIp,
  REQUEST_ID_HEADER,
  upstreamAgent,
  violationMessage,
} from '@homeward/platform';
import { createProxyMiddleware, fixRequestBody, RequestHandler } from 'http-proxy-middleware';
import { pathOf, PROXY_MOUNTS, routeFor, SUBSCRIPTIONS_PATH, SUBSCRIPTIONS_UPSTREAM, UpstreamUrls } from '../upstreams';
import { problem, sendProblem } from './problem';

/** Express-compatible middleware signature, without depending on express' types. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Checks a bearer token the gateway was given. Resolves when valid, rejects when not.
 * The gateway forwards every request; the owning app verifies again (docs/architecture.md).
 */
export type BearerVerifier = (token: string) => Promise<unknown>;

export interface RestProxyOptions {
  upstreams: UpstreamUrls;
  verifyBearer?: BearerVerifier;
  /** Upstream answer timeout; a slow upstream yields 504. */
  timeoutMs?: number;
  /** SUBGRAPH_SHARED_SECRET: sent upstream with the client IP (issue 6 item 11). */
  gatewaySecret?: string;
  /** Keep-alive agent towards the apps (default: idle sockets closed before the apps' servers close them, issue 14 item 9). */
  agent?: Agent;
}

/**
 * The client IP the gateway (the edge) sees: express' `req.ip` (the socket, or X-Forwarded-For
 * from a proxy in front on a loopback / private address — `trust proxy`), else the socket.
 */
export function clientIpOfEdge(req: IncomingMessage & { ip?: unknown }): string | undefined {
  return normaliseIp(typeof req.ip === 'string' ? req.ip : undefined) ?? normaliseIp(req.socket?.remoteAddress);
}

/**
 * Sets the gateway's headers on a request about to be proxied: the secret and the client IP it saw,
 * replacing whatever the caller sent under those names (a caller cannot choose its recorded IP).
 */
export function stampGatewayHeaders(req: IncomingMessage & { ip?: unknown }, gatewaySecret: string | undefined): void {
  delete req.headers[GATEWAY_SECRET_HEADER];
  delete req.headers[CLIENT_IP_HEADER];
  if (!gatewaySecret) return;
  req.headers[GATEWAY_SECRET_HEADER] = gatewaySecret;
  const ip = clientIpOfEdge(req);
  if (ip) req.headers[CLIENT_IP_HEADER] = ip;
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
        const checked = checkedBodies.get(req);
        if (checked) {
          // the edge read the body to check it: forward the very bytes it was given
          proxyReq.removeHeader('transfer-encoding');
          proxyReq.setHeader('content-length', checked.length);
          proxyReq.write(checked);
          return;
        }
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
    stampGatewayHeaders(req, options.gatewaySecret);
    const forward = (): void => {
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
    if (!hasBody(req)) {
      forward();
      return;
    }
    // Issue 6 item 13: the edge caps the size, the encoding and the JSON depth of every body (and
    // refuses control characters) before an upstream parses it; the apps check again.
    readCheckedBody(req).then(
      (body) => {
        checkedBodies.set(req, body);
        forward();
      },
      (refusal: EdgeRefusal) => {
        if (refusal.status === 413) res.setHeader('connection', 'close');
        sendProblem(res, { ...problem(refusal.status, refusal.detail, path), ...(refusal.errors ? { errors: refusal.errors } : {}) }, requestId);
      },
    );
  };
}

const checkedBodies = new WeakMap<IncomingMessage, Buffer>();

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Why the edge refused a body. */
interface EdgeRefusal {
  status: 400 | 413;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
}

/**
 * Reads the whole body (at most INPUT_LIMITS.maxBodyBytes) and checks it: UTF-8 for text and JSON,
 * and for JSON a parse, the depth limit and no control characters. Rejects with an EdgeRefusal.
 */
function readCheckedBody(req: IncomingMessage): Promise<Buffer> {
  const limit = INPUT_LIMITS.maxBodyBytes;
  const tooLarge: EdgeRefusal = { status: 413, detail: `the request body is larger than ${limit} bytes / 请求体超过 ${limit} 字节` };
  return new Promise<Buffer>((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      reject(tooLarge);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => {
      if (!failed) reject({ status: 400, detail: 'the request body could not be read / 无法读取请求体' } satisfies EdgeRefusal);
      failed = true;
    });
    req.on('end', () => {
      if (failed) return;
      const body = Buffer.concat(chunks);
      const type = String(req.headers['content-type'] ?? '').toLowerCase();
      const json = type.includes('application/json') || type.includes('+json');
      const text = json || type.startsWith('text/') || type.includes('x-www-form-urlencoded');
      if (text && !isValidUtf8(body)) {
        reject({ status: 400, detail: new InvalidEncodingException().detail } satisfies EdgeRefusal);
        return;
      }
      if (json && body.length > 0) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          reject({ status: 400, detail: 'the request body is not valid JSON / 请求体不是有效的 JSON' } satisfies EdgeRefusal);
          return;
        }
        const violation = findInputViolation(parsed);
        if (violation) {
          const message = violationMessage(violation);
          reject({ status: 400, detail: `request refused: ${violation.field} ${message}`, errors: [{ field: violation.field, message }] } satisfies EdgeRefusal);
          return;
        }
      }
      resolve(body);
    });
  });
}

function isResponse(res: ServerResponse | Socket): res is ServerResponse {
  return typeof (res as ServerResponse).writeHead === 'function';
}

/**
 * Proxy the graphql-ws live alert feed (`/subscriptions`) to the alerts app. The alerts app
 * checks the token on connect. Returns a function that detaches the listener.
 */
export function attachSubscriptionsProxy(server: Server, upstreams: UpstreamUrls, gatewaySecret?: string): () => void {
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
    stampGatewayHeaders(req, gatewaySecret);
    wsProxy.upgrade(req, socket as Socket, head);
  };
  server.on('upgrade', onUpgrade);
  return () => server.off('upgrade', onUpgrade);
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

export interface RequestContext {
  requestId: string;
  /** The caller's IP as the gateway saw it (issue 6 item 11), when known. */
  clientIp?: string;
  /** Set once a DENIED audit row was written for this request (DeniedAuditInterceptor then writes none). */
  deniedAudited?: boolean;
}

/** Header carrying SUBGRAPH_SHARED_SECRET from the gateway to the apps (issue 6 items 11/12). */
export const GATEWAY_SECRET_HEADER = 'x-homeward-gateway-secret';
/** Header in which the gateway passes on the client IP it saw; trusted only next to the secret. */
export const CLIENT_IP_HEADER = 'x-homeward-client-ip';
/**
 * Set by the gateway on its own requests to a subgraph (loading the schema, health checks), never on a
 * caller's: the subgraph logs those requests at debug, not info (issue 8 item 8: no request line per
 * subgraph per poll). It lowers the level of a successful request's log line only; errors log as ever.
 */
export const GATEWAY_OWN_REQUEST_HEADER = 'x-homeward-gateway-own';

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = 'x-request-id';

/** The request id of the HTTP request being handled, if any (audit rows and logs carry it). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

/** The client IP of the HTTP request being handled (audit rows carry it). */
export function currentClientIp(): string | undefined {
  return storage.getStore()?.clientIp;
}

/** Marks the current request as having its denial audited (AuditWriter does, on a DENIED row). */
export function markDeniedAudited(): void {
  const store = storage.getStore();
  if (store) store.deniedAudited = true;
}

/** True when a DENIED row was already written for the current request. */
export function deniedAuditedInRequest(): boolean {
  return storage.getStore()?.deniedAudited === true;
}

/** Runs `fn` with a request context (for jobs/tests that want a request id). */
export function runWithRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Express middleware: request id from `x-request-id` (when sane) or a new UUID, set on `req.id`, echoed in the response. */
export function requestIdMiddleware(req: Request & { id?: unknown }, res: Response, next: NextFunction): void {
  const incoming = req.headers[REQUEST_ID_HEADER];
  const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
  const requestId = candidate && SAFE_ID.test(candidate) ? candidate : randomUUID();
  req.id = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  storage.run({ requestId }, () => next());
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** True when `secret` is configured and the request carries it in GATEWAY_SECRET_HEADER (constant-time compare). */
export function carriesGatewaySecret(headers: IncomingHttpHeaders, secret: string | undefined): boolean {
  const given = single(headers[GATEWAY_SECRET_HEADER]);
  if (!secret || !given) return false;
  const digest = (v: string): Buffer => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** `::ffff:1.2.3.4` → `1.2.3.4`; anything that is not an IP → undefined. */
export function normaliseIp(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const unmapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v)?.[1] ?? v;
  return isIP(unmapped) ? unmapped : undefined;
}

/**
 * The client IP of a request to an app behind the gateway (issue 6 item 11): the gateway's
 * CLIENT_IP_HEADER when the request also carries the gateway secret, else the peer address.
 * `X-Forwarded-For` is never read here: anyone can send it.
 */
export function clientIpOf(req: Pick<Request, 'headers' | 'socket'>, gatewaySecret: string | undefined): string | undefined {
  if (carriesGatewaySecret(req.headers, gatewaySecret)) {
    const forwarded = normaliseIp(single(req.headers[CLIENT_IP_HEADER]));
    if (forwarded) return forwarded;
  }
  return normaliseIp(req.socket?.remoteAddress);
}

/**
 * Express middleware of the apps behind the gateway: sets `req.ip` (what rate limits, idempotency
 * and the guard read) and the request context's client IP from `clientIpOf`. Mount after
 * requestIdMiddleware.
 */
export function clientIpMiddleware(gatewaySecret: string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const ip = clientIpOf(req, gatewaySecret);
    Object.defineProperty(req, 'ip', { value: ip, configurable: true, enumerable: true });
    const store = storage.getStore();
    if (store && ip) store.clientIp = ip;
    next();
  };
}

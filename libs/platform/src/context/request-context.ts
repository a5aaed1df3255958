import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface RequestContext {
  requestId: string;
  /** Set once a DENIED audit row was written for this request (DeniedAuditInterceptor then writes none). */
  deniedAudited?: boolean;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const REQUEST_ID_HEADER = 'x-request-id';

/** The request id of the HTTP request being handled, if any (audit rows and logs carry it). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
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

import type { ServerResponse } from 'node:http';
import { PROBLEM_CONTENT_TYPE, ProblemDetails, problemTitle, problemType } from '@homeward/platform';

/**
 * A problem+json body (RFC 9457) shaped like the platform's global filter shapes them, for
 * answers the proxy gives itself (it runs below Nest, so the filter never sees them).
 */
export function problem(status: number, detail: string, instance?: string, requestId?: string): ProblemDetails {
  return {
    type: problemType(status),
    title: problemTitle(status),
    status,
    detail,
    ...(instance !== undefined ? { instance } : {}),
    ...(requestId !== undefined ? { requestId } : {}),
  };
}

/** Write a problem+json answer on a raw Node response. */
export function sendProblem(res: ServerResponse, body: ProblemDetails, requestId?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const json = JSON.stringify(requestId && !body.requestId ? { ...body, requestId } : body);
  res.statusCode = body.status;
  res.setHeader('content-type', PROBLEM_CONTENT_TYPE);
  res.setHeader('content-length', Buffer.byteLength(json));
  if (requestId) res.setHeader('x-request-id', requestId);
  res.end(json);
}

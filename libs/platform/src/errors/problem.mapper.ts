import { HttpException, HttpStatus } from '@nestjs/common';
import { DomainError, DomainErrorCode, isUnprocessable } from '@homeward/domain';
import { FieldError, ProblemDetails, ProblemException, problemTitle, problemType } from './problem';
import { TRY_AGAIN_AFTER_SECONDS, TRY_AGAIN_CODE, TRY_AGAIN_MESSAGE, transientDatabaseCode } from './transient';

/** HTTP status of a domain error: NOT_FOUND 404, CONFLICT 409, FORBIDDEN 403, a refused well-formed request 422. */
export function statusOfDomainError(code: DomainErrorCode): number {
  switch (code) {
    case DomainErrorCode.NOT_FOUND:
      return HttpStatus.NOT_FOUND;
    case DomainErrorCode.CONFLICT:
      return HttpStatus.CONFLICT;
    case DomainErrorCode.FORBIDDEN:
      return HttpStatus.FORBIDDEN;
    default:
      return isUnprocessable(code) ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.BAD_REQUEST;
  }
}

function httpExceptionDetail(body: unknown, fallback: string): string {
  if (typeof body === 'string') return body;
  if (body && typeof body === 'object') {
    const b = body as { detail?: unknown; message?: unknown };
    if (typeof b.detail === 'string') return b.detail;
    if (Array.isArray(b.message)) return b.message.map(String).join('; ');
    if (typeof b.message === 'string') return b.message;
  }
  return fallback;
}

/** An error that the HTTP layer itself produced with a safe message (http-errors: `expose`). */
function exposedHttpError(e: unknown): { status: number; message: string } | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const x = e as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const status = typeof x.status === 'number' ? x.status : typeof x.statusCode === 'number' ? x.statusCode : undefined;
  if (status && status >= 400 && status < 500 && x.expose === true) return { status, message: String(x.message ?? '') };
  return undefined;
}

/**
 * Maps any thrown value to problem details (RFC 9457). Unknown errors become a 500 that
 * says nothing about the internals; `internal` tells the caller to log the original. A deadlock or
 * serialization failure is a 503 TRY_AGAIN with Retry-After; `transient` names its SQLSTATE (to log at warn).
 */
export function toProblem(exception: unknown, instance?: string): { problem: ProblemDetails; internal: boolean; transient?: string } {
  const base = (status: number, detail: string, extras: Partial<ProblemDetails> = {}): ProblemDetails => {
    const p: ProblemDetails = { type: problemType(status), title: problemTitle(status), status, detail, ...extras };
    if (instance !== undefined) p.instance = instance;
    return p;
  };
  if (exception instanceof DomainError) {
    const status = statusOfDomainError(exception.code);
    const extras: Partial<ProblemDetails> = { type: problemType(exception.code), code: exception.code };
    if (exception.field) extras.errors = [{ field: exception.field, message: exception.message }];
    if (exception.details) extras.details = exception.details;
    return { problem: base(status, exception.message, extras), internal: false };
  }
  if (exception instanceof ProblemException) {
    const { title, detail, extras } = exception;
    return { problem: base(exception.getStatus(), detail, { title, ...extras }), internal: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const extras: Partial<ProblemDetails> = {};
    if (body && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors)) {
      extras.errors = (body as { errors: FieldError[] }).errors;
    }
    const p = base(status, httpExceptionDetail(body, exception.message), extras);
    return { problem: p, internal: status >= 500 };
  }
  const sqlState = transientDatabaseCode(exception);
  if (sqlState) {
    // A deadlock or serialization failure rolled the whole transaction back: nothing was written, and
    // the same request (with the same Idempotency-Key) can succeed — a 503 to send again, not a 500.
    const extras = { type: problemType('try-again'), code: TRY_AGAIN_CODE, retryAfterSeconds: TRY_AGAIN_AFTER_SECONDS } as Partial<ProblemDetails>;
    return { problem: base(503, TRY_AGAIN_MESSAGE, extras), internal: false, transient: sqlState };
  }
  const exposed = exposedHttpError(exception);
  if (exposed) return { problem: base(exposed.status, exposed.message), internal: false };
  return { problem: base(500, 'An unexpected error occurred; it has been logged / 发生意外错误，已记录'), internal: true };
}

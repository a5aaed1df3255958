import { HttpException } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, DomainErrorCode } from '@homeward/domain';
import { ProblemException } from './problem';
import { INTERNAL_ADDRESS, isCallerErrorCode } from '../input/graphql-input';
import { TRY_AGAIN_CODE, TRY_AGAIN_MESSAGE, transientDatabaseCode } from './transient';

/** GraphQL `extensions.code` for an HTTP status. */
export function graphQLCodeOfStatus(status: number): string {
  switch (status) {
    case 400:
      return 'BAD_USER_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'CONFLICT';
    case 422:
      return 'UNPROCESSABLE';
    case 429:
      return 'TOO_MANY_REQUESTS';
    default:
      return status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  }
}

/** GraphQL `extensions.code` for a domain code: VALIDATION_FAILED → BAD_USER_INPUT, else the code's name. */
export function graphQLCodeOfDomain(code: DomainErrorCode): string {
  return code === DomainErrorCode.VALIDATION_FAILED ? 'BAD_USER_INPUT' : code;
}

function originalOf(error: unknown): unknown {
  let e = error;
  // Apollo wraps resolver errors in GraphQLError (originalError), sometimes twice.
  for (let i = 0; i < 3 && e instanceof GraphQLError && e.originalError; i++) e = e.originalError;
  return e;
}

export interface FormatGraphQLErrorOptions {
  /**
   * Kept for callers; since issue 6 item 14 the policy is the same in every mode: no stack trace,
   * no internal message, no internal address ever reaches a caller (they stay in the log).
   */
  production?: boolean;
}

/** What a caller reads instead of an internal error (the log has the details under the request id). */
export const INTERNAL_ERROR_MESSAGE = 'Internal server error; it has been logged under the request id / 服务器内部错误，已按请求编号记录';

/**
 * `formatError` for GraphQLModule: sets `extensions.code` (BAD_USER_INPUT, NOT_FOUND,
 * FORBIDDEN, UNAUTHENTICATED, ILLEGAL_TRANSITION, domain code names…, TRY_AGAIN for a deadlock or
 * serialization failure), adds `field` /
 * `errors`, and in every mode strips stack traces, the message of unexpected errors and any
 * message naming an internal address (a down subgraph's URL, a host:port, a socket error).
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  _options: FormatGraphQLErrorOptions = {},
): GraphQLFormattedError {
  const original = originalOf(error);
  const ext: Record<string, unknown> = { ...(formatted.extensions ?? {}) };
  let message = formatted.message;
  if (original instanceof DomainError) {
    ext.code = graphQLCodeOfDomain(original.code);
    ext.domainCode = original.code;
    if (original.field) ext.field = original.field;
    if (original.details) ext.details = original.details;
  } else if (original instanceof HttpException) {
    const status = original.getStatus();
    ext.code = graphQLCodeOfStatus(status);
    const body = original.getResponse();
    if (original instanceof ProblemException) {
      message = original.detail;
      if (Array.isArray(original.extras.errors)) ext.errors = original.extras.errors;
    } else if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
      message = (body as { message: string }).message;
    }
    if (status >= 500) message = INTERNAL_ERROR_MESSAGE;
  } else if (transientDatabaseCode(original)) {
    // A deadlock or serialization failure: the mutation's transaction was rolled back, send it again.
    ext.code = TRY_AGAIN_CODE;
    message = TRY_AGAIN_MESSAGE;
  } else if (!isCallerErrorCode(ext.code)) {
    ext.code = 'INTERNAL_SERVER_ERROR';
    message = INTERNAL_ERROR_MESSAGE;
  }
  if (INTERNAL_ADDRESS.test(message)) message = INTERNAL_ERROR_MESSAGE;
  delete ext.stacktrace;
  delete ext.exception;
  const out: GraphQLFormattedError = { ...formatted, message, extensions: ext };
  return out;
}

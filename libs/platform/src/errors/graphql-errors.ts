import { HttpException } from '@nestjs/common';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { DomainError, DomainErrorCode } from '@homeward/domain';
import { ProblemException } from './problem';

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
  /** Strip stack traces and hide unexpected messages; defaults to NODE_ENV === 'production'. */
  production?: boolean;
}

/**
 * `formatError` for GraphQLModule: sets `extensions.code` (BAD_USER_INPUT, NOT_FOUND,
 * FORBIDDEN, UNAUTHENTICATED, ILLEGAL_TRANSITION, domain code names…), adds `field` /
 * `errors`, and in production strips stack traces and the message of unexpected errors.
 */
export function formatGraphQLError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: FormatGraphQLErrorOptions = {},
): GraphQLFormattedError {
  const production = options.production ?? process.env.NODE_ENV === 'production';
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
    if (status >= 500 && production) message = 'Internal server error / 服务器内部错误';
  } else {
    const code = typeof ext.code === 'string' ? ext.code : undefined;
    const knownGraphQL = code !== undefined && code !== 'INTERNAL_SERVER_ERROR';
    if (!knownGraphQL) {
      ext.code = 'INTERNAL_SERVER_ERROR';
      if (production) message = 'Internal server error / 服务器内部错误';
    }
  }
  if (production) {
    delete ext.stacktrace;
    delete ext.exception;
  }
  const out: GraphQLFormattedError = { ...formatted, message, extensions: ext };
  return out;
}

import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { Logger } from '@nestjs/common';
import { ASTVisitor, GraphQLError, ValidationContext } from 'graphql';
import { FORBIDDEN_CONTROL_CHARACTERS, findInputViolation, violationMessage } from './input-guard';

/**
 * GraphQL validation rule (issue 6 items 5 and 13): a string literal in the query holding a
 * forbidden control character (`"\u0000"`) is refused before anything runs, like the same value
 * sent in `variables` (which the HTTP input guard refuses).
 */
export function noControlCharactersRule(context: ValidationContext): ASTVisitor {
  return {
    StringValue(node) {
      if (FORBIDDEN_CONTROL_CHARACTERS.test(node.value)) {
        context.reportError(
          new GraphQLError(`A string literal ${violationMessage({ field: '', reason: 'CONTROL_CHARACTER' })}`, {
            nodes: [node],
            extensions: { code: 'BAD_USER_INPUT' },
          }),
        );
      }
    },
  };
}

/** The request id a GraphQL context carries (the gateway's `requestId`, a subgraph's `req.id`). */
export function requestIdOfContext(ctx: unknown): string | undefined {
  const c = ctx as { requestId?: unknown; req?: { id?: unknown; headers?: Record<string, unknown> } } | undefined;
  if (typeof c?.requestId === 'string') return c.requestId;
  if (c?.req?.id !== undefined) return String(c.req.id);
  const h = c?.req?.headers?.['x-request-id'];
  return typeof h === 'string' ? h : undefined;
}

/** Codes whose message is safe to show (the caller's own mistake, or a refusal); anything else is internal. */
const CALLER_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'UNPROCESSABLE',
  'TOO_MANY_REQUESTS',
]);

/** True when an error with this code is the caller's concern (its message may be shown). */
export function isCallerErrorCode(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  // Domain codes (ILLEGAL_TRANSITION, ID_NUMBER_INVALID, …) are refusals too: everything upper-case but the internal ones.
  if (CALLER_CODES.has(code)) return true;
  return /^[A-Z][A-Z0-9_]+$/.test(code) && !['INTERNAL_SERVER_ERROR', 'DOWNSTREAM_SERVICE_ERROR', 'INTERNAL'].includes(code);
}

/** A URL, an IP address (with or without a port), a host:port, or a socket error name: nothing a caller may see. */
export const INTERNAL_ADDRESS = /\b[a-z][a-z0-9+.-]*:\/\/\S+|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\[[0-9a-f]*:[0-9a-f:]*\](?::\d+)?|\blocalhost(?::\d+)?\b|(?<![\w.-])[a-z][\w-]*(?:\.[\w-]+)*:\d{2,5}\b|\bE(?:CONNREFUSED|CONNRESET|HOSTUNREACH|NOTFOUND|TIMEDOUT|PIPE|AI_AGAIN)\b|\s+at\s+\S+\s+\(/i;

/**
 * An Apollo plugin for the gateway and every subgraph (issue 6 items 13 and 14):
 * - an `operationName` that names no operation of the document (or none given for a document
 *   with several) is a 400 OPERATION_RESOLUTION_FAILURE, not a 500;
 * - every error the caller gets carries `extensions.requestId`;
 * - an internal error is logged with its request id (message, stack, addresses stay in the log).
 */
export function graphQLErrorPolicyPlugin(logger: Logger = new Logger('GraphQL')): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(ctx: GraphQLRequestContext<object>) {
          if (!ctx.operation) {
            const name = ctx.request.operationName;
            throw new GraphQLError(
              name
                ? `The document has no operation named "${name.slice(0, 100)}". / 文档中没有名为 "${name.slice(0, 100)}" 的操作。`
                : 'The document has several operations: name one in operationName. / 文档包含多个操作，请在 operationName 中指定。',
              { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
            );
          }
          const violation = findInputViolation(ctx.request.variables ?? {}, 'variables');
          if (violation) {
            throw new GraphQLError(`${violation.field} ${violationMessage(violation)}`, {
              extensions: { code: 'BAD_USER_INPUT', field: violation.field, http: { status: 400 } },
            });
          }
        },
        async didEncounterErrors(ctx: GraphQLRequestContext<object>) {
          const requestId = requestIdOfContext(ctx.contextValue);
          for (const err of ctx.errors ?? []) {
            const code = err.extensions?.code;
            if (isCallerErrorCode(code) && !INTERNAL_ADDRESS.test(err.message)) continue;
            const original = err.originalError ?? err;
            logger.error(
              { err: original, requestId, path: err.path, code },
              `GraphQL error${requestId ? ` (request ${requestId})` : ''}: ${original.message}`,
            );
          }
        },
        async willSendResponse(ctx: GraphQLRequestContext<object>) {
          const requestId = requestIdOfContext(ctx.contextValue);
          const body = ctx.response.body;
          if (!requestId || !body || body.kind !== 'single') return;
          const errors = body.singleResult.errors;
          if (!errors) return;
          body.singleResult.errors = errors.map((e) => ({ ...e, extensions: { ...(e.extensions ?? {}), requestId } }));
        },
      };
    },
  };
}

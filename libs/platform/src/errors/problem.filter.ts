import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './problem.mapper';
import { graphQLCodeOfStatus } from './graphql-errors';

/**
 * The one global filter for HTTP: every error becomes `application/problem+json`. For
 * GraphQL (and other non-HTTP contexts) it rethrows, so Apollo renders the error and
 * `formatGraphQLError` sets `extensions.code`.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') throw exception;
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: unknown }>();
    const res = ctx.getResponse<Response>();
    const { problem, internal, transient } = toProblem(exception, req.originalUrl ?? req.url);
    if (req.id !== undefined) problem.requestId = String(req.id);
    if (internal) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ err, requestId: problem.requestId }, `unhandled error on ${req.method} ${req.originalUrl ?? req.url}`);
    } else if (transient) {
      // the path only: a query string may carry what the log must not (it is redacted in request logs too)
      const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
      this.logger.warn({ sqlState: transient, requestId: problem.requestId }, `transaction rolled back by PostgreSQL (${transient}) on ${req.method} ${path}: answered 503, to send again`);
    }
    if (res.headersSent) return undefined;
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    const retryAfter = (problem as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if ((problem.status === 429 || problem.status === 503) && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    return undefined;
  }
}

const middlewareLogger = new Logger('HttpErrors');

/**
 * Express error middleware for errors raised before Nest's routing (body parsers, the input
 * guard): the same problem+json as the filter, with the request id; never Express' default
 * handler, which sends stack traces outside production.
 */
export function problemErrorMiddleware(err: unknown, req: Request & { id?: unknown }, res: Response, next: (e?: unknown) => void): void {
  if (res.headersSent) {
    next(err);
    return;
  }
  const { problem, internal } = toProblem(err, req.originalUrl ?? req.url);
  if (req.id !== undefined) problem.requestId = String(req.id);
  if (internal) {
    const e = err instanceof Error ? err : new Error(String(err));
    middlewareLogger.error({ err: e, requestId: problem.requestId }, `unhandled error on ${req.method} ${req.originalUrl ?? req.url}`);
  }
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  if (path === '/graphql' || path.startsWith('/graphql/')) {
    // a GraphQL client gets a GraphQL-shaped error (typed by extensions.code), not problem+json
    const field = problem.errors?.[0]?.field;
    const error = {
      message: problem.errors?.[0] ? `${problem.errors[0].field} ${problem.errors[0].message}` : problem.detail,
      extensions: { code: graphQLCodeOfStatus(problem.status), ...(field ? { field } : {}), ...(problem.requestId ? { requestId: problem.requestId } : {}) },
    };
    res.status(problem.status).type('application/json').send(JSON.stringify({ errors: [error] }));
    return;
  }
  res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

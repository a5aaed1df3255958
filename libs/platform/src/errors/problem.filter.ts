import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { toProblem } from './problem.mapper';

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
    const { problem, internal } = toProblem(exception, req.originalUrl ?? req.url);
    if (req.id !== undefined) problem.requestId = String(req.id);
    if (internal) {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error({ err, requestId: problem.requestId }, `unhandled error on ${req.method} ${req.originalUrl ?? req.url}`);
    }
    if (res.headersSent) return undefined;
    if (problem.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    const retryAfter = (problem as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (problem.status === 429 && typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
    res.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    return undefined;
  }
}

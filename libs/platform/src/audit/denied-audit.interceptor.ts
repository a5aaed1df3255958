import { CallHandler, ExecutionContext, HttpException, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { Observable, catchError, from, mergeMap, throwError } from 'rxjs';
import { DomainError, DomainErrorCode } from '@homeward/domain';
import { requestOf } from '../auth/request-of';
import { deniedAuditedInRequest } from '../context/request-context';
import { AuditWriter } from './audit-writer';

/** What the interceptor learns of a refused request (never the error message: it may echo input). */
export interface Refusal {
  status: number;
  code: string;
  field?: string;
}

/** A client-side refusal (4xx / DomainError) of `err`, or undefined for a server fault. */
export function refusalOf(err: unknown): Refusal | undefined {
  if (err instanceof DomainError) {
    const status = err.code === DomainErrorCode.NOT_FOUND ? 404 : err.code === DomainErrorCode.FORBIDDEN ? 403 : err.code === DomainErrorCode.CONFLICT ? 409 : 422;
    return { status, code: err.code, ...(err.field ? { field: err.field } : {}) };
  }
  if (err instanceof HttpException && err.getStatus() >= 400 && err.getStatus() < 500) {
    return { status: err.getStatus(), code: `HTTP_${err.getStatus()}` };
  }
  return undefined;
}

const ID_LIKE = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Issue 6 item 11: every denied request leaves an audit row, in every app (registered by
 * AuditModule). A REST call answered 403/404, a GraphQL query refused NOT_FOUND/FORBIDDEN, and
 * any GraphQL mutation the domain rejects (not found, forbidden, illegal transition, conflict,
 * invalid) write `request.denied` with outcome DENIED — unless the feature already wrote its own
 * DENIED row in this request. 401/403 of the AuthGuard are audited by the guard.
 */
@Injectable()
export class DeniedAuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('DeniedAuditInterceptor');

  constructor(private readonly audit: AuditWriter) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const type = ctx.getType<string>();
    if (type !== 'http' && type !== 'graphql') return next.handle();
    return next.handle().pipe(
      catchError((err: unknown) => {
        const refusal = refusalOf(err);
        const target = refusal ? this.targetOf(ctx, refusal) : undefined;
        if (!refusal || !target || deniedAuditedInRequest()) return throwError(() => err);
        return from(this.record(ctx, refusal, target)).pipe(mergeMap(() => throwError(() => err)));
      }),
    );
  }

  /** What was refused, or undefined when this refusal is not a denial worth a row. */
  private targetOf(ctx: ExecutionContext, r: Refusal): { name: string; entityId?: string } | undefined {
    const denied = r.status === 403 || r.status === 404;
    if (ctx.getType<string>() === 'graphql') {
      const gql = GqlExecutionContext.create(ctx);
      const info = gql.getInfo<{ fieldName?: string; parentType?: { name?: string } }>();
      const isMutation = info?.parentType?.name === 'Mutation';
      if (!isMutation && !denied) return undefined;
      // A malformed request (400 from validation) is bad input, not a denial: it writes nothing (issue 6 item 13).
      if (r.code === 'HTTP_400') return undefined;
      const args = gql.getArgs<Record<string, unknown>>() ?? {};
      const input = (args.input ?? {}) as Record<string, unknown>;
      const id = [args.id, args.assignmentId, input.id, input.subjectId].find((v): v is string => typeof v === 'string' && ID_LIKE.test(v));
      return { name: `${isMutation ? 'mutation' : 'query'} ${info?.fieldName ?? 'unknown'}`, entityId: id };
    }
    if (!denied) return undefined;
    const req = requestOf(ctx);
    const param = (req?.params as Record<string, string> | undefined)?.id;
    return { name: `${req?.method ?? '?'} ${req?.route?.path ?? req?.path ?? '?'}`, entityId: param && ID_LIKE.test(param) ? param : undefined };
  }

  private async record(ctx: ExecutionContext, r: Refusal, target: { name: string; entityId?: string }): Promise<void> {
    const req = requestOf(ctx);
    try {
      await this.audit.record({
        actor: req?.principal ?? { anonymous: true },
        action: 'request.denied',
        entityType: ctx.getType<string>() === 'graphql' ? 'graphql' : 'http',
        entityId: target.entityId,
        outcome: 'DENIED',
        details: { target: target.name, status: r.status, code: r.code, ...(r.field ? { field: r.field } : {}) },
      });
    } catch (e) {
      this.logger.error(`cannot audit a denied request: ${(e as Error).message}`);
    }
  }
}

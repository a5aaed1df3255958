import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { Observable, from, lastValueFrom } from 'rxjs';
import { canonicalJson } from '../audit/canonical-json';
import { PlatformRequest } from '../auth/request-of';
import { runInAmbientTransaction } from '../database/ambient-transaction';
import { ProblemException, problemTitle, problemType } from '../errors/problem';
import { IdempotencyStore } from './idempotency.store';

export const IDEMPOTENT = 'homeward:idempotent';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/**
 * POST endpoints of the partner API: requires `Idempotency-Key`; the same key with the same
 * request answers the first response again (no second record); a different request → 409.
 * Needs PartnerApiModule.
 */
export const Idempotent = (): MethodDecorator => SetMetadata(IDEMPOTENT, true);

/** sha256 of the canonical JSON of method, path and body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(canonicalJson({ method: method.toUpperCase(), path, body: body ?? null })).digest('hex');
}

const KEY_SHAPE = /^[\x21-\x7e]{1,255}$/;

@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly store: IdempotencyStore,
  ) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (ctx.getType() !== 'http' || this.reflector.get<boolean>(IDEMPOTENT, ctx.getHandler()) !== true) return next.handle();
    const http = ctx.switchToHttp();
    const req = http.getRequest<PlatformRequest>();
    const res = http.getResponse<Response>();
    const raw = req.headers[IDEMPOTENCY_KEY_HEADER];
    const key = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (!key || !KEY_SHAPE.test(key)) {
      throw new ProblemException(400, problemTitle(400), 'Header Idempotency-Key is required (1–255 visible ASCII characters) / 缺少幂等键', {
        type: problemType('idempotency-key-missing'),
        errors: [{ field: 'Idempotency-Key', message: 'required header / 必填请求头' }],
      });
    }
    const agencyId = req.principal?.agencyId ?? req.principal?.sub ?? `ip:${req.ip ?? 'unknown'}`;
    const path = (req.originalUrl ?? req.url).split('?')[0];
    const hash = requestHash(req.method, path, req.body);
    const declared = this.reflector.get<number | undefined>(HTTP_CODE_METADATA, ctx.getHandler());
    // Claim, business write (services join through inTransaction) and stored answer: one transaction.
    const answered = this.store.withKey(agencyId, key, hash, async (claim, manager) => {
      if (claim.kind === 'busy') {
        res.setHeader('Retry-After', '1');
        throw new ProblemException(409, problemTitle(409), 'A request with this Idempotency-Key is in progress / 相同幂等键的请求正在处理中', {
          type: problemType('idempotency-request-in-progress'),
        });
      }
      if (claim.kind === 'existing') {
        const { row } = claim;
        if (row.requestHash !== hash) {
          throw new ProblemException(
            409,
            problemTitle(409),
            'Idempotency-Key was already used with a different request / 该幂等键已用于不同的请求',
            { type: problemType('idempotency-key-reused') },
          );
        }
        if (row.location) res.setHeader('Location', row.location);
        res.setHeader('Idempotent-Replayed', 'true');
        if (row.statusCode) res.status(row.statusCode);
        return row.response;
      }
      const body = await runInAmbientTransaction(manager, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
      const status = res.statusCode !== 200 ? res.statusCode : (declared ?? (req.method === 'POST' ? 201 : 200));
      const location = res.getHeader('location');
      await this.store.complete(manager, claim.id, status, body, typeof location === 'string' ? location : null);
      return body;
    });
    return from(
      answered.catch((err: unknown) => {
        // Rolled back: no record, so no Location pointing at one.
        if (!res.headersSent) res.removeHeader('Location');
        throw err;
      }),
    );
  }
}

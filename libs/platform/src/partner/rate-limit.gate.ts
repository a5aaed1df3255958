import { ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { Response } from 'express';
import { Counter, register } from 'prom-client';
import { RequestGate } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { PlatformRequest } from '../auth/request-of';
import { ProblemException, problemTitle } from '../errors/problem';

export const RATE_LIMIT_OPTIONS = Symbol('RATE_LIMIT_OPTIONS');
export interface RateLimitOptions {
  limitPerMinute: number;
  redisPrefix: string;
  /** Only requests whose path starts with this are limited (default `/api/`). */
  pathPrefix?: string;
  /** Longest wait for Redis before the request is let through unlimited (default 250 ms). */
  redisTimeoutMs?: number;
}

function unavailableCounter(): Counter<string> {
  const name = 'homeward_rate_limit_unavailable_total';
  return (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help: 'Requests let through without a rate limit because Redis did not answer (fail open)' });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}

/** Who a request counts against: the partner client (or user), else the client IP. */
export function rateLimitTracker(principal: Principal | undefined, ip: string | undefined): string {
  if (principal?.kind === 'PARTNER') return `client:${principal.sub}`;
  if (principal) return `user:${principal.sub}`;
  return `ip:${ip ?? 'unknown'}`;
}

/**
 * Per-client rate limit of the REST API on Redis (@nest-lab/throttler-storage-redis, shared by
 * every replica): RATE_LIMIT_PER_MINUTE, then 429 problem+json with Retry-After. When Redis does not
 * answer, the request goes through unlimited (fail open, issue 14 item 4): a warning, and the counter
 * `homeward_rate_limit_unavailable_total`; writes that need only PostgreSQL keep working.
 */
@Injectable()
export class RateLimitGate implements RequestGate {
  private readonly logger = new Logger(RateLimitGate.name);
  private lastWarning = 0;

  constructor(
    private readonly storage: ThrottlerStorageRedisService,
    @Inject(RATE_LIMIT_OPTIONS) private readonly options: RateLimitOptions,
  ) {}

  async check(ctx: ExecutionContext, req: PlatformRequest, principal: Principal | undefined): Promise<void> {
    if (ctx.getType() !== 'http') return;
    const path = req.originalUrl ?? req.url ?? '';
    if (!path.startsWith(this.options.pathPrefix ?? '/api/') || path.startsWith('/api/docs')) return;
    const key = `${this.options.redisPrefix}:ratelimit:${rateLimitTracker(principal, req.ip)}`;
    const res = ctx.switchToHttp().getResponse<Response>();
    let r: Awaited<ReturnType<ThrottlerStorageRedisService['increment']>>;
    try {
      r = await withTimeout(this.storage.increment(key, 60_000, this.options.limitPerMinute, 60_000, 'minute'), this.options.redisTimeoutMs ?? 250);
    } catch (e) {
      unavailableCounter().inc();
      const now = Date.now();
      if (now - this.lastWarning > 10_000) {
        this.lastWarning = now;
        this.logger.warn(`rate limit not applied (fail open): ${(e as Error).message}`);
      }
      return;
    }
    res.setHeader('RateLimit-Limit', String(this.options.limitPerMinute));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, this.options.limitPerMinute - r.totalHits)));
    if (r.isBlocked) {
      const retryAfter = Math.max(1, r.timeToBlockExpire);
      res.setHeader('Retry-After', String(retryAfter));
      throw new ProblemException(429, problemTitle(429), `Rate limit of ${this.options.limitPerMinute} requests per minute exceeded / 超出每分钟请求上限`, {
        retryAfterSeconds: retryAfter,
      });
    }
  }
}

import { Controller, Get, HttpCode, Inject, Logger, Optional, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators';
import { INTERNAL_ADDRESS } from '../input/graphql-input';
import { PLATFORM_REDIS } from '../redis/redis.module';
import { ReadinessChecks } from './readiness';

export interface CheckResult {
  ok: boolean;
  reason?: string;
  /** Present on a failing check that does not take the app out of service (status "degraded"). */
  degraded?: true;
}

export type ReadinessStatus = 'ok' | 'degraded' | 'unavailable';

/** BullMQ loses jobs under any eviction policy: only `noeviction` is ready. */
export function evaluateRedisPolicy(policy: string | undefined): CheckResult {
  if (policy === 'noeviction') return { ok: true };
  return { ok: false, reason: `redis maxmemory-policy is ${policy ?? 'unknown'}; BullMQ needs noeviction` };
}

const healthLogger = new Logger('Health');

/**
 * The reason an anonymous caller of /health/ready reads (issue 6 item 14): the error message unless
 * it names an address (host:port, URL, ECONNREFUSED…), which stays in the log.
 */
export function publicReason(what: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!INTERNAL_ADDRESS.test(message)) return `${what}: ${message}`;
  healthLogger.warn(`${what} not ready: ${message}`);
  return `${what}: unreachable (details in the log)`;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** `/health/live` (the process runs) and `/health/ready` (PostgreSQL and Redis answer; Redis will not evict). */
@ApiExcludeController()
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly moduleRef: ModuleRef,
    @Optional() @Inject(PLATFORM_REDIS) private readonly redis?: Redis,
    @Optional() private readonly extra?: ReadinessChecks,
  ) {}

  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * 200 `ok`; 200 `degraded` when something only part of the app needs fails (Redis unreachable: the
   * bus waits, writes that need only PostgreSQL go on; a job scheduler missing); 503 `unavailable` when
   * PostgreSQL does not answer, Redis would evict, or a critical check fails (issue 14 item 4).
   */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: Response): Promise<{ status: ReadinessStatus; checks: Record<string, CheckResult> }> {
    const checks: Record<string, CheckResult> = {};
    let down = false;
    let degraded = false;
    const dataSource = this.dataSource();
    if (dataSource) {
      checks.postgres = await this.checkPostgres(dataSource);
      down ||= !checks.postgres.ok;
    }
    if (this.redis) {
      const redis = await this.checkRedis(this.redis);
      // Unreachable Redis degrades; a reachable one that would evict BullMQ's keys is a misconfiguration.
      const unreachable = !redis.ok && redis.reason?.startsWith('redis:') === true;
      checks.redis = unreachable ? { ...redis, degraded: true } : redis;
      if (!redis.ok) (unreachable ? (degraded = true) : (down = true));
    }
    for (const c of this.extra?.list() ?? []) {
      let result: CheckResult;
      try {
        result = await withTimeout(c.check(), 3000, c.name);
      } catch (e) {
        result = { ok: false, reason: (e as Error).message };
      }
      if (!result.ok) {
        if (c.critical) down = true;
        else {
          degraded = true;
          result = { ...result, degraded: true };
        }
      }
      checks[c.name] = result;
    }
    const status: ReadinessStatus = down ? 'unavailable' : degraded ? 'degraded' : 'ok';
    res.status(down ? 503 : 200);
    return { status, checks };
  }

  private dataSource(): DataSource | undefined {
    try {
      return this.moduleRef.get(DataSource, { strict: false });
    } catch {
      return undefined;
    }
  }

  private async checkPostgres(ds: DataSource): Promise<CheckResult> {
    try {
      if (!ds.isInitialized) return { ok: false, reason: 'postgres: not connected' };
      await withTimeout(ds.query('SELECT 1'), 2000, 'postgres');
      return { ok: true };
    } catch (e) {
      return { ok: false, reason: publicReason('postgres', e) };
    }
  }

  private async checkRedis(redis: Redis): Promise<CheckResult> {
    try {
      await withTimeout(redis.ping(), 2000, 'redis');
      const reply = (await withTimeout(redis.config('GET', 'maxmemory-policy'), 2000, 'redis')) as unknown as string[];
      return evaluateRedisPolicy(reply?.[1]);
    } catch (e) {
      return { ok: false, reason: publicReason('redis', e) };
    }
  }
}

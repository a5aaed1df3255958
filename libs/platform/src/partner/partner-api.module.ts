import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { APP_CONFIG } from '../config/config.module';
import { REQUEST_GATE } from '../auth/auth.guard';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore, PARTNER_API_OPTIONS } from './idempotency.store';
import { RATE_LIMIT_OPTIONS, RateLimitGate, RateLimitOptions } from './rate-limit.gate';

export interface PartnerApiModuleOptions {
  schema: string;
  /** Overrides RATE_LIMIT_PER_MINUTE from the config. */
  limitPerMinute?: number;
}

interface RateLimitVars {
  REDIS_URL: string;
  REDIS_PREFIX: string;
  RATE_LIMIT_PER_MINUTE?: number;
}

/**
 * Partner REST plumbing for a service: `@Idempotent()` POSTs backed by
 * `<schema>.idempotency_keys`, and the per-client rate limit on Redis. Needs the
 * DatabaseModule and AuthModule (the rate limit runs inside the auth guard, after the token is known).
 */
@Global()
@Module({})
export class PartnerApiModule {
  static forService(opts: PartnerApiModuleOptions): DynamicModule {
    return {
      module: PartnerApiModule,
      global: true,
      providers: [
        { provide: PARTNER_API_OPTIONS, useValue: { schema: opts.schema } },
        IdempotencyStore,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        {
          provide: RATE_LIMIT_OPTIONS,
          inject: [APP_CONFIG],
          useFactory: (config: RateLimitVars): RateLimitOptions => ({
            limitPerMinute: opts.limitPerMinute ?? config.RATE_LIMIT_PER_MINUTE ?? 600,
            redisPrefix: config.REDIS_PREFIX,
          }),
        },
        {
          provide: ThrottlerStorageRedisService,
          inject: [APP_CONFIG],
          useFactory: (config: RateLimitVars) => new ThrottlerStorageRedisService(config.REDIS_URL, { maxRetriesPerRequest: 2 }),
        },
        RateLimitGate,
        { provide: REQUEST_GATE, useExisting: RateLimitGate },
      ],
      exports: [IdempotencyStore, REQUEST_GATE],
    };
  }
}

import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { SERVICE_NAME } from './audit/audit-writer';
import { AuthModule, JwksOverride } from './auth/auth.module';
import { Clock } from './clock/clock';
import { ClockModule } from './clock/clock.module';
import { BaseConfig } from './config/base-config';
import { ConfigModule } from './config/config.module';
import { CryptoModule } from './crypto/crypto.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics';
import { PartnerApiModule } from './partner/partner-api.module';
import { RedisModule } from './redis/redis.module';

export interface PlatformModuleOptions<T extends BaseConfig> {
  /** Service name (audit rows, logs, metrics). */
  service: string;
  /** The service's schema; when given: Database, Crypto and Audit are included. */
  schema?: string;
  config: new () => T;
  /** A ready config instead of reading process.env (tests). */
  configInstance?: T;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities?: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations?: Function[];
  /** Include the partner REST plumbing (idempotency store + rate limit); needs `schema`. */
  partnerApi?: boolean;
  /** Public keys from somewhere else than `${IDENTITY_URL}/.well-known/jwks.json` (identity, tests). */
  jwks?: JwksOverride;
  /** A clock to use instead of the System/Controllable one (tests: FixedClock). */
  clock?: Clock;
}

@Global()
@Module({})
class ServiceNameModule {
  static forRoot(service: string): DynamicModule {
    return { module: ServiceNameModule, global: true, providers: [{ provide: SERVICE_NAME, useValue: service }], exports: [SERVICE_NAME] };
  }
}

/**
 * Everything an app needs from the platform in one import: Config, Logging, Redis, Clock,
 * Auth, Health, Metrics, and with a schema Database, Crypto, Audit (and PartnerApi).
 */
@Module({})
export class PlatformModule {
  static forService<T extends BaseConfig>(opts: PlatformModuleOptions<T>): DynamicModule {
    const imports: Array<DynamicModule | Type<unknown>> = [
      ConfigModule.forRoot(opts.config, opts.configInstance),
      LoggingModule.forRoot(opts.service),
      RedisModule.forRoot(),
      ClockModule.forRoot(opts.clock),
      MetricsModule.forRoot(opts.service),
    ];
    if (opts.schema) {
      imports.push(
        DatabaseModule.forService({ schema: opts.schema, entities: opts.entities ?? [], migrations: opts.migrations ?? [] }),
        CryptoModule.forRoot(),
        AuditModule.forService(opts.service),
      );
      if (opts.partnerApi) imports.push(PartnerApiModule.forService({ schema: opts.schema }));
    } else {
      imports.push(ServiceNameModule.forRoot(opts.service));
    }
    imports.push(AuthModule.forRoot({ jwks: opts.jwks }), HealthModule);
    return { module: PlatformModule, imports, exports: imports };
  }
}

/**
 * The Redis URL and key prefix for `BusModule.forService` from a given config (tests), so the bus
 * uses the same prefix as the rest of the app; without one the bus reads the same environment.
 */
export function busConnection(config?: Pick<BaseConfig, 'REDIS_URL' | 'REDIS_PREFIX'>): { redisUrl?: string; prefix?: string } {
  return config ? { redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX } : {};
}

import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { NestFactory } from '@nestjs/core';
import {
  AuditModule,
  ClockModule,
  ConfigModule,
  CryptoModule,
  DatabaseModule,
  PLATFORM_REDIS,
  SystemClock,
  loadConfig,
  tokenRevocationsProvider,
} from '@homeward/platform';
import { LoginThrottle } from '../throttling/login-throttle.service';
import { IdentityConfig } from '../config';
import { ENTITIES } from '../entities';
import { MIGRATIONS, SCHEMA } from '../migrations';
import { PartnersService } from '../partners/partners.service';
import { UsersService } from '../users/users.service';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/homeward';

/**
 * The identity config for offline administration (CLI, dev stack): only the migrator's URL
 * (MIGRATION_DATABASE_URL, else DATABASE_URL, defaulted), FIELD_ENCRYPTION_KEY and AUDIT_CHAIN_KEY matter; the variables the HTTP app needs (REDIS_URL, PERSON_KEY_SECRET) get
 * placeholders when unset because nothing here uses them.
 */
export function adminConfig(env: NodeJS.ProcessEnv = process.env): IdentityConfig {
  return loadConfig(IdentityConfig, {
    REDIS_URL: 'redis://127.0.0.1:6379',
    PERSON_KEY_SECRET: 'unused-by-identity-admin-0123456789abcdef',
    ...env,
    // The CLI administers as the migrator (and migrates identity's schema first: connectsAsMigrator).
    DATABASE_URL: env.MIGRATION_DATABASE_URL || env.DATABASE_URL || DEFAULT_DATABASE_URL,
    MIGRATION_DATABASE_URL: '',
    DATABASE_POOL_SIZE: '2',
    CLOCK_CONTROL: 'false',
  });
}

/** Closes the admin's Redis client, which connects only when a command needs it (revocations, unlock). */
@Injectable()
class AdminRedisCloser implements OnApplicationShutdown {
  constructor(@Inject(PLATFORM_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'wait' || this.redis.status === 'end') {
      this.redis.disconnect();
      return;
    }
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Module({})
class IdentityAdminModule {
  static forRoot(config: IdentityConfig): DynamicModule {
    return {
      module: IdentityAdminModule,
      imports: [
        ConfigModule.forRoot(IdentityConfig, config),
        ClockModule.forRoot(new SystemClock()),
        CryptoModule.forRoot({ FIELD_ENCRYPTION_KEY: config.FIELD_ENCRYPTION_KEY, PERSON_KEY_SECRET: config.PERSON_KEY_SECRET }),
        DatabaseModule.forService({ schema: SCHEMA, entities: ENTITIES, migrations: [...MIGRATIONS], connectsAsMigrator: true }),
        AuditModule.forService('identity'),
      ],
      providers: [
        {
          provide: PLATFORM_REDIS,
          useFactory: () => new Redis(config.REDIS_URL, { connectionName: 'homeward-identity-admin', lazyConnect: true, maxRetriesPerRequest: 2 }),
        },
        AdminRedisCloser,
        tokenRevocationsProvider,
        LoginThrottle,
        UsersService,
        PartnersService,
      ],
    };
  }
}

export interface IdentityAdmin {
  users: UsersService;
  partners: PartnersService;
}

/**
 * Runs `fn` with identity's account services on the database of `config` (the migrator's; identity's
 * schema is migrated first), then closes everything. The rules are the app's own: nothing is duplicated here.
 */
export async function withIdentityAdmin<T>(config: IdentityConfig, fn: (admin: IdentityAdmin) => Promise<T>): Promise<T> {
  const app = await NestFactory.createApplicationContext(IdentityAdminModule.forRoot(config), { logger: ['error'], abortOnError: false });
  try {
    return await fn({ users: app.get(UsersService), partners: app.get(PartnersService) });
  } finally {
    await app.close();
  }
}

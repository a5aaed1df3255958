import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { BaseConfig } from '../config/base-config';

/** Injection token of the platform's shared ioredis client (health, clock, rate limit). */
export const PLATFORM_REDIS = Symbol('PLATFORM_REDIS');

/** Opens a Redis client that does not queue commands forever while Redis is down. */
export function createRedisClient(url: string, name = 'homeward-platform'): Redis {
  return new Redis(url, { connectionName: name, maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
}

/** Closes a connection politely, falling back to disconnect when Redis is unreachable. */
export async function closeRedisClient(redis: Redis | undefined): Promise<void> {
  if (!redis || redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(PLATFORM_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.redis);
  }
}

/** Global module providing `PLATFORM_REDIS` from `REDIS_URL`; closed on shutdown. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(): DynamicModule {
    return {
      module: RedisModule,
      global: true,
      providers: [
        { provide: PLATFORM_REDIS, useFactory: (config: BaseConfig) => createRedisClient(config.REDIS_URL), inject: [BaseConfig] },
        RedisCloser,
      ],
      exports: [PLATFORM_REDIS],
    };
  }
}

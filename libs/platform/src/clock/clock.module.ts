import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { BaseConfig } from '../config/base-config';
import { PLATFORM_REDIS } from '../redis/redis.module';
import { Clock, ControllableClock, SystemClock } from './clock';

@Injectable()
class ClockStopper implements OnApplicationShutdown {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  onApplicationShutdown(): void {
    if (this.clock instanceof ControllableClock) this.clock.stop();
  }
}

/**
 * Global module providing `Clock`: the given one (tests: `new FixedClock()`), else a
 * ControllableClock when CLOCK_CONTROL=true (needs RedisModule), else the SystemClock.
 */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock?: Clock): DynamicModule {
    const provider: Provider = clock
      ? { provide: Clock, useValue: clock }
      : {
          provide: Clock,
          inject: [BaseConfig, { token: PLATFORM_REDIS, optional: true }],
          useFactory: async (config: BaseConfig, redis?: Redis): Promise<Clock> => {
            if (!config.CLOCK_CONTROL) return new SystemClock();
            if (!redis) throw new Error('CLOCK_CONTROL=true needs RedisModule (PLATFORM_REDIS)');
            const c = new ControllableClock(redis, config.REDIS_PREFIX);
            await c.start();
            return c;
          },
        };
    return { module: ClockModule, global: true, providers: [provider, ClockStopper], exports: [Clock] };
  }
}

import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { PLATFORM_REDIS, closeRedisClient } from '../redis/redis.module';
import { JWKS_PROVIDER, JwksProvider } from './jwks';
import { TokenRevocations } from './revocations';

/**
 * Subscribes to `<prefix>:auth:keys-changed` (issue 6 item 8): when identity retires or rotates a
 * signing key, this app's JWKS provider forgets the key and refetches at once instead of trusting
 * its cache. (Verification also checks the retired-kid key in Redis, so a missed message is not a hole.)
 */
@Injectable()
export class KeysChangedListener implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('KeysChangedListener');
  private subscriber?: Redis;

  constructor(
    @Inject(JWKS_PROVIDER) private readonly keys: JwksProvider,
    private readonly revocations: TokenRevocations,
    @Optional() @Inject(PLATFORM_REDIS) private readonly redis?: Redis,
  ) {}

  onModuleInit(): void {
    if (!this.redis || !this.keys.invalidate) return;
    const sub = this.redis.duplicate({ connectionName: 'homeward-keys-changed' });
    this.subscriber = sub;
    sub.on('error', (e: Error) => this.logger.warn(`keys-changed subscriber: ${e.message}`));
    sub.on('message', (_channel: string, kid: string) => {
      this.keys.invalidate?.(kid).catch((e: Error) => this.logger.warn(`cannot refresh the JWKS after ${kid} changed: ${e.message}`));
    });
    // Not awaited: an app must boot (and report not-ready) while Redis is down; ioredis resubscribes on reconnect.
    sub.subscribe(this.revocations.channel).catch((e: Error) => this.logger.warn(`cannot subscribe to ${this.revocations.channel}: ${e.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.subscriber);
  }
}

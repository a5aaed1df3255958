import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { PLATFORM_REDIS, closeRedisClient } from '../redis/redis.module';
import { RevocationMirror } from './revocation-mirror';
import { TokenRevocations } from './revocations';

/**
 * Keeps this app's RevocationMirror (issue 13): its own subscriber connection, the app's Redis client
 * for the loads; hands it to TokenRevocations, which answers checks from it while it is ready.
 */
@Injectable()
export class RevocationMirrorService implements OnModuleInit, OnApplicationShutdown {
  private subscriber?: Redis;
  private mirror?: RevocationMirror;

  constructor(
    private readonly revocations: TokenRevocations,
    @Optional() @Inject(PLATFORM_REDIS) private readonly redis?: Redis,
  ) {}

  onModuleInit(): void {
    if (!this.redis) return;
    const sub = this.redis.duplicate({ connectionName: 'homeward-revocations' });
    // errors show as 'close' (the mirror stops being trusted); an app must boot while Redis is down
    sub.on('error', () => undefined);
    this.subscriber = sub;
    this.mirror = new RevocationMirror(sub, this.redis, { keyPrefix: this.revocations.keyPrefix, channel: this.revocations.revocationsChannel });
    this.revocations.useMirror(this.mirror);
    this.mirror.start();
  }

  /** Whether checks are answered from the mirror now (health, tests). */
  get ready(): boolean {
    return this.mirror?.ready ?? false;
  }

  async onApplicationShutdown(): Promise<void> {
    this.revocations.useMirror(undefined);
    this.mirror?.stop();
    await closeRedisClient(this.subscriber);
  }
}

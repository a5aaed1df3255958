import Redis from 'ioredis';

/**
 * A Redis connection for BullMQ: `maxRetriesPerRequest: null` (required by workers, harmless for queues),
 * so commands wait for Redis to come back instead of failing the job loop.
 */
export function createBusRedis(url: string, name: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectionName: name, lazyConnect: false });
}

/** Closes a connection politely, falling back to disconnect when Redis is unreachable. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}

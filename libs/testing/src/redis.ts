import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { testNamespace } from './database';

/** Redis URL for tests: `REDIS_URL` when set, else 127.0.0.1:6379. */
export function testRedisUrl(): string {
  return process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
}

/** A Redis key prefix unique per call (`hwt:<label>:<random>`; `<ns>:<label>:…` under HW_TEST_NAMESPACE), so test files never share keys. */
export function testRedisPrefix(label = 't'): string {
  const safe = label.replace(/[^A-Za-z0-9_-]/g, '-');
  const ns = testNamespace();
  return `${ns === 'hw' ? 'hwt' : ns}:${safe}:${randomBytes(5).toString('hex')}`;
}

/**
 * Deletes every key starting with `prefix` (SCAN + UNLINK, never FLUSHALL: other tests share this Redis).
 * Returns the number of keys deleted.
 */
export async function flushRedisPrefix(url: string, prefix: string): Promise<number> {
  if (!prefix) throw new Error('flushRedisPrefix: refusing an empty prefix');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await redis.connect();
  let deleted = 0;
  try {
    const pattern = `${prefix.replace(/([*?[\]\\])/g, '\\$1')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}

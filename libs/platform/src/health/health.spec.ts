import { evaluateRedisPolicy } from './health.controller';

describe(evaluateRedisPolicy.name, () => {
  it('is ready only with noeviction', () => {
    expect(evaluateRedisPolicy('noeviction')).toEqual({ ok: true });
  });

  it('names the bad policy and why', () => {
    expect(evaluateRedisPolicy('allkeys-lru')).toEqual({
      ok: false,
      reason: 'redis maxmemory-policy is allkeys-lru; BullMQ needs noeviction',
    });
    expect(evaluateRedisPolicy(undefined).ok).toBe(false);
  });
});

import { evaluateRedisPolicy, publicReason } from './health.controller';

describe(publicReason.name, () => {
  it('issue 6 item 14: /health/ready names no internal address', () => {
    expect(publicReason('redis', new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toBe('redis: unreachable (details in the log)');
    expect(publicReason('postgres', new Error('getaddrinfo ENOTFOUND db.internal'))).not.toContain('db.internal');
    expect(publicReason('postgres', new Error('postgres did not answer within 2000 ms'))).toBe('postgres: postgres did not answer within 2000 ms');
  });
});

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

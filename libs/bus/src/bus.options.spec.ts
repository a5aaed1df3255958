import { assertSchemaName, notifyChannelOf, queueNameOf, resolveBusOptions } from './bus.options';

describe(resolveBusOptions.name, () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(resolveBusOptions({ service: 'alerts', schema: 'alerts' }, {})).toEqual({
      service: 'alerts',
      schema: 'alerts',
      redisUrl: 'redis://127.0.0.1:6379',
      prefix: 'hw',
      maxAttempts: 5,
      backoffDelayMs: 1000,
      relayIntervalMs: 500,
      reconcileAfterMs: 30_000,
      batchSize: 100,
      relayLanes: 2,
      concurrency: 4,
      completedRetentionSeconds: 86_400,
      outboxRetentionDays: 7,
      inboxRetentionDays: 30,
    });
  });

  it('reads REDIS_URL, REDIS_PREFIX, BUS_MAX_ATTEMPTS and BUS_RELAY_INTERVAL_MS from the environment', () => {
    const o = resolveBusOptions(
      { service: 'alerts', schema: 'alerts' },
      { REDIS_URL: 'redis://r:1', REDIS_PREFIX: 'p1', BUS_MAX_ATTEMPTS: '7', BUS_RELAY_INTERVAL_MS: '250' },
    );
    expect(o).toMatchObject({ redisUrl: 'redis://r:1', prefix: 'p1', maxAttempts: 7, relayIntervalMs: 250 });
  });

  it('prefers explicit options over the environment', () => {
    expect(resolveBusOptions({ service: 'alerts', schema: 'alerts', maxAttempts: 2 }, { BUS_MAX_ATTEMPTS: '9' }).maxAttempts).toBe(2);
  });

  it('names a bad environment variable', () => {
    expect(() => resolveBusOptions({ service: 'alerts', schema: 'alerts' }, { BUS_MAX_ATTEMPTS: 'five' })).toThrow(
      'BUS_MAX_ATTEMPTS must be a positive integer, got "five"',
    );
  });

  it('refuses a completed-job retention not far above the reconcile window', () => {
    expect(() => resolveBusOptions({ service: 'alerts', schema: 'alerts', reconcileAfterMs: 60_000, completedRetentionSeconds: 60 }, {})).toThrow(
      /completedRetentionSeconds/,
    );
  });
});

describe(assertSchemaName.name, () => {
  it.each(['alerts', 'correction', 'my_schema1'])('accepts %s', (s) => expect(() => assertSchemaName(s)).not.toThrow());
  it.each(['', 'Alerts', 'a-b', 'x"; drop table y; --', '1abc'])('refuses %j', (s) => expect(() => assertSchemaName(s)).toThrow());
});

describe('names', () => {
  it('one queue per consuming service and one NOTIFY channel per schema', () => {
    expect(queueNameOf('alerts')).toBe('events.alerts');
    expect(notifyChannelOf('correction')).toBe('hw_bus_correction');
  });
});

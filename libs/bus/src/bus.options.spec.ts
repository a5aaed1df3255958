import { assertSchemaName, concurrencyOf, notifyChannelOf, parseQueueConcurrency, queueNameOf, resolveBusOptions } from './bus.options';

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
      batchSize: 500,
      relayLanes: 2,
      concurrency: 4,
      queueConcurrency: {},
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

describe(parseQueueConcurrency.name, () => {
  it('issue 13 S1: reads queue=n entries separated by commas, spaces allowed', () => {
    expect(parseQueueConcurrency('events.alerts=8, alerts.deadlines = 4')).toEqual({ 'events.alerts': 8, 'alerts.deadlines': 4 });
    expect(parseQueueConcurrency('')).toEqual({});
    expect(parseQueueConcurrency('  ')).toEqual({});
  });

  it.each([
    ['events.alerts', '"events.alerts" is not queue=n'],
    ['events.alerts=8,', '"" is not queue=n'],
    ['events.alerts=0', 'the concurrency of events.alerts must be a positive integer, got "0"'],
    ['events.alerts=2.5', 'must be a positive integer, got "2.5"'],
    ['events.alerts=eight', 'must be a positive integer, got "eight"'],
    ['events.alerts=-1', 'must be a positive integer, got "-1"'],
    ['Events.Alerts=2', '"Events.Alerts" is not a queue name'],
    ['events.alerts=2,events.alerts=3', 'events.alerts is given twice'],
  ])('issue 13 S1: refuses %j with a message naming the variable and the entry', (raw, message) => {
    expect(() => parseQueueConcurrency(raw)).toThrow(`BUS_QUEUE_CONCURRENCY: `);
    expect(() => parseQueueConcurrency(raw)).toThrow(message);
  });
});

describe('per-queue concurrency in resolveBusOptions', () => {
  it('issue 13 S1: BUS_QUEUE_CONCURRENCY gives each queue its own figure; an explicit entry wins for its queue only', () => {
    const o = resolveBusOptions(
      { service: 'alerts', schema: 'alerts', queueConcurrency: { 'alerts.deadlines': 2 } },
      { BUS_QUEUE_CONCURRENCY: 'events.alerts=8,alerts.deadlines=4', BUS_CONCURRENCY: '3' },
    );
    expect(o.queueConcurrency).toEqual({ 'events.alerts': 8, 'alerts.deadlines': 2 });
    expect(concurrencyOf(o, 'events.alerts', o.concurrency)).toBe(8);
    expect(concurrencyOf(o, 'alerts.deadlines', 1)).toBe(2);
    // a queue without an entry keeps its fallback (BUS_CONCURRENCY for the event queue, the code's value for a job queue)
    expect(concurrencyOf(o, 'resettlement.push', 4)).toBe(4);
    expect(concurrencyOf(resolveBusOptions({ service: 'alerts', schema: 'alerts' }, { BUS_CONCURRENCY: '3' }), 'events.alerts', 3)).toBe(3);
  });

  it('issue 13 S1: a bad BUS_QUEUE_CONCURRENCY stops the start with the variable named', () => {
    expect(() => resolveBusOptions({ service: 'alerts', schema: 'alerts' }, { BUS_QUEUE_CONCURRENCY: 'events.alerts=many' })).toThrow(
      'BUS_QUEUE_CONCURRENCY: the concurrency of events.alerts must be a positive integer, got "many"',
    );
    expect(() => resolveBusOptions({ service: 'alerts', schema: 'alerts', queueConcurrency: { 'events.alerts': 0 } }, {})).toThrow(
      'Bus option queueConcurrency.events.alerts must be a positive integer, got 0',
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

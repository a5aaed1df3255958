import { flushRedisPrefix } from '@homeward/testing';
import { AlertsTestHandlers, BusTestWorld, enrolledPayload, sleep, waitFor } from '../test/bus-harness';

jest.setTimeout(60_000);

describe('Bus after Redis loses its data (real PostgreSQL + Redis)', () => {
  const world = new BusTestWorld();

  beforeAll(() => world.setUp());
  afterEach(() => world.stopAll());
  afterAll(() => world.tearDown());

  it('issue 2 item 4: Redis flushed after relay but before the consumer ran → the event is relayed again and processed once', async () => {
    const relay = world.relay('community-correction', 'correction', { reconcileAfterMs: 400 });
    relay.start();
    const envelope = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-000000000021')),
    );
    await waitFor('relayed', async () => (await world.outboxRow('correction', envelope.id))?.relayed_at);
    const queue = world.queue('alerts');
    expect(await queue.getJobState(envelope.id)).toBe('waiting');

    // Only this file's prefix: other test files share this Redis (never FLUSHALL here).
    expect(await flushRedisPrefix(world.redisUrl, world.prefix)).toBeGreaterThan(0);
    expect(await queue.getJobState(envelope.id)).toBe('unknown');

    const handlers = new AlertsTestHandlers();
    world.consumer(handlers).start();
    await waitFor('processed after re-relay', async () => (await world.effects(envelope.id)).length === 1);
    const row = await waitFor('delivered', async () => {
      const r = await world.outboxRow('correction', envelope.id);
      return r?.delivered_at ? r : undefined;
    });
    expect(row.attempts).toBe(2); // relayed, then relayed again by the reconcile
    await sleep(800); // a further reconcile period: nothing more happens
    expect(await world.effects(envelope.id)).toHaveLength(1);
    expect(handlers.calls.get(envelope.id)).toBe(1);
  });

  it('Redis flushed after the consumer ran but before the relay confirmed it → re-relayed, found in the inbox, no second effect', async () => {
    const handlers = new AlertsTestHandlers();
    world.consumer(handlers).start();
    // A long reconcile window so the flush certainly happens before the first confirmation.
    const relay = world.relay('community-correction', 'correction', { reconcileAfterMs: 3_000 });
    relay.start();
    const envelope = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-000000000022')),
    );
    await waitFor('processed', async () => (await world.effects(envelope.id)).length === 1);
    expect((await world.outboxRow('correction', envelope.id))?.delivered_at).toBeNull();
    await flushRedisPrefix(world.redisUrl, world.prefix);

    const row = await waitFor('delivered', async () => {
      const r = await world.outboxRow('correction', envelope.id);
      return r?.delivered_at ? r : undefined;
    });
    expect(row.attempts).toBe(2);
    // issue 13 S1: the completed job is removed at once; the consumer's acknowledgement confirmed it
    expect(await world.queue('alerts').getJobState(envelope.id)).toBe('unknown');
    expect(await world.effects(envelope.id)).toHaveLength(1);
    expect(handlers.calls.get(envelope.id)).toBe(1);
  });

  it('reconcile leaves a job alone while it is still waiting or retrying (no premature re-relay)', async () => {
    const relay = world.relay('community-correction', 'correction', { reconcileAfterMs: 200 });
    const envelope = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-000000000023')),
    );
    await relay.runOnce();
    await sleep(300);
    const pass = await relay.reconcile();
    expect(pass).toMatchObject({ requeued: 0, delivered: 0 });
    expect(pass.checked).toBeGreaterThanOrEqual(1);
    const row = await world.outboxRow('correction', envelope.id);
    expect(row).toMatchObject({ attempts: 1, pending_consumers: ['alerts'], delivered_at: null });
  });
});

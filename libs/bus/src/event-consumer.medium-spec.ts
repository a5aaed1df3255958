import type { Job, Queue } from 'bullmq';
import { AlertsTestHandlers, BusTestWorld, enrolledPayload, waitFor } from '../test/bus-harness';

jest.setTimeout(60_000);

async function finished(queue: Queue, job: Job): Promise<unknown> {
  return waitFor(`job ${job.id} completed`, async () => {
    const state = await queue.getJobState(job.id!);
    if (state !== 'completed') return undefined;
    const fresh = await queue.getJob(job.id!);
    return { value: fresh?.returnvalue as unknown };
  }).then((r) => r.value);
}

describe('EventConsumer (real PostgreSQL + Redis)', () => {
  const world = new BusTestWorld();

  beforeAll(() => world.setUp());
  afterEach(() => world.stopAll());
  afterAll(() => world.tearDown());

  it('issue 2 item 4: the same envelope delivered again under another job id has no second effect (inbox)', async () => {
    const handlers = new AlertsTestHandlers();
    world.consumer(handlers).start();
    world.relay().start();
    const envelope = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-000000000011')),
    );
    await waitFor('first delivery', async () => (await world.effects(envelope.id)).length === 1);

    const queue = world.queue('alerts');
    const again = await queue.add(envelope.name, envelope, { jobId: `${envelope.id}-again` });
    expect(await finished(queue, again)).toBe('duplicate');
    expect(await world.effects(envelope.id)).toHaveLength(1);
    expect(handlers.calls.get(envelope.id)).toBe(1);
    const inbox = await world.dataSource.query('SELECT handler FROM alerts.bus_inbox WHERE event_id = $1', [envelope.id]);
    expect(inbox).toEqual([{ handler: 'AlertsTestHandlers.onEnrolled' }]);
  });

  it('issue 2 item 4: two copies of one envelope delivered concurrently → exactly one effect', async () => {
    const handlers = new AlertsTestHandlers();
    world.consumer(handlers, { concurrency: 4 }).start();
    const envelope = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-000000000012')),
    );
    const queue = world.queue('alerts');
    const [a, b] = await queue.addBulk([
      { name: envelope.name, data: envelope, opts: { jobId: `${envelope.id}-a` } },
      { name: envelope.name, data: envelope, opts: { jobId: `${envelope.id}-b` } },
    ]);
    const outcomes = [await finished(queue, a), await finished(queue, b)].sort();
    expect(outcomes).toEqual(['duplicate', 'processed']);
    expect(await world.effects(envelope.id)).toHaveLength(1);
  });

  it('issue 2 item 4: a handler that always throws → N attempts with backoff, a dead-letter row and a bus.event.dead-lettered outbox row', async () => {
    const handlers = new AlertsTestHandlers();
    handlers.failing.add('correction.subject.enrolled');
    world.consumer(handlers, { maxAttempts: 3, backoffDelayMs: 50 }).start();
    world.relay('community-correction', 'correction', { maxAttempts: 3, backoffDelayMs: 50 }).start();
    const envelope = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-000000000013')),
    );

    const [dead] = await waitFor('the dead letter', async () => {
      const rows = await world.dataSource.query(
        'SELECT event_id, event_name, handler, attempts, error, payload FROM alerts.bus_dead_letters WHERE event_id = $1',
        [envelope.id],
      );
      return rows.length > 0 ? rows : undefined;
    });
    expect(dead).toMatchObject({
      event_id: envelope.id,
      event_name: 'correction.subject.enrolled',
      handler: 'AlertsTestHandlers.onEnrolled',
      attempts: 3,
      payload: { id: envelope.id, payload: { subjectId: '00000000-0000-4000-8000-000000000013' } },
    });
    expect(dead.error).toContain('always fails');
    expect(handlers.calls.get(envelope.id)).toBe(3);
    expect(await world.effects(envelope.id)).toEqual([]); // every attempt rolled back

    const announced = await world.dataSource.query(
      `SELECT name, payload FROM alerts.bus_outbox WHERE name = 'bus.event.dead-lettered' AND payload->>'eventId' = $1`,
      [envelope.id],
    );
    expect(announced).toEqual([
      {
        name: 'bus.event.dead-lettered',
        payload: {
          eventId: envelope.id,
          eventName: 'correction.subject.enrolled',
          service: 'alerts',
          handler: 'AlertsTestHandlers.onEnrolled',
          error: 'Error: handler for correction.subject.enrolled always fails',
        },
      },
    ]);
    // The dead-lettered job completed, so the producer's reconcile marks the event delivered (no endless re-relay).
    await waitFor('producer row delivered', async () => (await world.outboxRow('correction', envelope.id))?.delivered_at);
    expect((await world.outboxRow('correction', envelope.id))?.attempts).toBe(1);
  });

  it('a later redelivery of a dead-lettered event neither runs the handler nor dead-letters it twice', async () => {
    const handlers = new AlertsTestHandlers();
    handlers.failing.add('correction.subject.reported');
    world.consumer(handlers, { maxAttempts: 2, backoffDelayMs: 20 }).start();
    const envelope = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.reported', {
        subjectId: '00000000-0000-4000-8000-000000000014',
        personKey: 'e'.repeat(64),
        town: '104',
        reportedOn: '2025-03-05',
      }),
    );
    const queue = world.queue('alerts');
    const first = await queue.add(envelope.name, envelope, { jobId: envelope.id, attempts: 2, backoff: { type: 'exponential', delay: 20 } });
    expect(await finished(queue, first)).toBe('dead-lettered');
    const second = await queue.add(envelope.name, envelope, { jobId: `${envelope.id}-replay`, attempts: 2 });
    expect(await finished(queue, second)).toBe('duplicate');
    expect(handlers.calls.get(envelope.id)).toBe(2);
    const [{ n }] = await world.dataSource.query('SELECT count(*)::int AS n FROM alerts.bus_dead_letters WHERE event_id = $1', [envelope.id]);
    expect(n).toBe(1);
  });

  it('issue 14 item 7: a stop lets a running handler finish, and waits no longer than the drain timeout', async () => {
    const handlers = new AlertsTestHandlers();
    handlers.delayMs = 1_500;
    const consumer = world.consumer(handlers);
    consumer.start();
    world.relay().start();
    const first = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-00000000e701')),
    );
    await waitFor('handler running', async () => handlers.calls.get(first.id) === 1);
    const t0 = Date.now();
    await consumer.drain(5_000); // the handler needs ~1.5 s: drained, not cut off
    expect(Date.now() - t0).toBeLessThan(4_500);
    // completed, hence removed at once (issue 13 S1); a cut-off handler would leave it active
    expect(await world.queue('alerts').getJobState(first.id)).toBe('unknown');
    expect(await world.effects(first.id)).toHaveLength(1);
  });

  it('issue 14 item 7: a handler that outlasts the drain timeout does not hold the stop', async () => {
    const handlers = new AlertsTestHandlers();
    handlers.delayMs = 6_000;
    const consumer = world.consumer(handlers);
    consumer.start();
    world.relay().start();
    const slow = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-00000000e702')),
    );
    await waitFor('handler running', async () => handlers.calls.get(slow.id) === 1);
    const t0 = Date.now();
    await consumer.drain(500);
    expect(Date.now() - t0).toBeLessThan(3_000);
  });
});

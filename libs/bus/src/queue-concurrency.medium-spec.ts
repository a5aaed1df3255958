import { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { eventsConsumedBy, type EventEnvelope } from '@homeward/domain';
import { BusTestWorld, enrolledPayload, sleep, waitFor } from '../test/bus-harness';
import { BusJobs } from './bus-jobs';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { eventHandler } from './on-event.decorator';
import { closeRedis, createBusRedis } from './redis-connection';

jest.setTimeout(60_000);

/** Handlers that hold every call until `open()`, counting how many are in flight at once. */
class Gate {
  inFlight = 0;
  maxInFlight = 0;
  done = 0;
  private release!: () => void;
  private readonly opened = new Promise<void>((resolve) => (this.release = resolve));

  async pass(): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await this.opened;
    this.inFlight -= 1;
    this.done += 1;
  }

  open(): void {
    this.release();
  }
}

describe('Per-queue concurrency from BUS_QUEUE_CONCURRENCY (real PostgreSQL + Redis)', () => {
  const world = new BusTestWorld();

  beforeAll(() => world.setUp());
  afterEach(() => world.stopAll());
  afterAll(() => world.tearDown());

  it('issue 13 S1: the event worker of events.alerts runs as many handlers at once as its queue entry says, not BUS_CONCURRENCY', async () => {
    const gate = new Gate();
    const options = world.options('alerts', 'alerts', { concurrency: 1, queueConcurrency: { 'events.alerts': 3 } });
    const handlers = eventsConsumedBy('alerts').map((event) =>
      eventHandler(event, `Gated.${event}`, async (_e: EventEnvelope, _m: EntityManager) => gate.pass()),
    );
    const consumer = new EventConsumer(world.dataSource, options, handlers, new EventPublisher(options));
    consumer.start();
    try {
      const publisher = world.publisher();
      await world.dataSource.transaction((m) =>
        publisher.publishMany(m, 'correction.subject.enrolled', Array.from({ length: 6 }, (_, i) => enrolledPayload(`00000000-0000-4000-8000-00000013c${String(i).padStart(3, '0')}`))),
      );
      await world.relay().runOnce();
      await waitFor('three handlers in flight', async () => gate.inFlight === 3);
      await sleep(500); // room for a fourth, if the worker allowed one
      expect(gate.maxInFlight).toBe(3);
      gate.open();
      await waitFor('all six handled', async () => gate.done === 6);
      expect(gate.maxInFlight).toBe(3);
    } finally {
      gate.open();
      await consumer.close();
    }
  });

  it('issue 13 S1: a BusJobs queue runs with its BUS_QUEUE_CONCURRENCY entry over the concurrency the code registered', async () => {
    const gate = new Gate();
    const jobs = new BusJobs(world.options('alerts', 'alerts', { queueConcurrency: { 'test.gated': 2 } }));
    jobs.process('test.gated', () => gate.pass(), { concurrency: 5 });
    await jobs.start();
    const redis = createBusRedis(world.redisUrl, 'queue-concurrency-test');
    const queue = new Queue('test.gated', { connection: redis, prefix: world.prefix });
    try {
      await queue.addBulk(Array.from({ length: 5 }, (_, i) => ({ name: 'gated', data: { i } })));
      await waitFor('two jobs in flight', async () => gate.inFlight === 2);
      await sleep(500); // room for a third, if the worker allowed one
      expect(gate.maxInFlight).toBe(2);
      gate.open();
      await waitFor('all five run', async () => gate.done === 5);
      expect(gate.maxInFlight).toBe(2);
    } finally {
      gate.open();
      await jobs.close();
      await queue.close();
      await closeRedis(redis);
    }
  });
});

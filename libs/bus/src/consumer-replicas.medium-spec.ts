import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { eventsConsumedBy, type EventEnvelope } from '@homeward/domain';
import { BusTestWorld, enrolledPayload, waitFor } from '../test/bus-harness';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { eventHandler } from './on-event.decorator';

jest.setTimeout(90_000);

const EVENTS = 200;

describe('Two EventConsumer replicas sharing one queue (real PostgreSQL + Redis)', () => {
  const world = new BusTestWorld();
  /** The second replica's own pool, as a second process would have. */
  let second: DataSource;

  beforeAll(async () => {
    await world.setUp();
    second = new DataSource({ type: 'postgres', url: world.db.url, synchronize: false, extra: { max: 6 } });
    await second.initialize();
  });
  afterEach(() => world.stopAll());
  afterAll(async () => {
    if (second?.isInitialized) await second.destroy();
    await world.tearDown();
  });

  it('issue 13 S1: two replicas and two relays work off a backlog, half of it delivered twice more under other job ids: every effect exactly once, every event confirmed', async () => {
    const calls = [0, 0];
    const replica = (index: number, dataSource: DataSource): EventConsumer => {
      const options = world.options('alerts', 'alerts', { concurrency: 3 });
      const handlers = eventsConsumedBy('alerts').map((event) =>
        eventHandler(event, `Replicated.${event}`, async (e: EventEnvelope, m: EntityManager) => {
          calls[index] += 1;
          await m.query('INSERT INTO alerts.effects (event_id, event_name) VALUES ($1, $2)', [e.id, e.name]);
          await new Promise((r) => setTimeout(r, 5)); // a little work, so neither replica drains the queue alone
        }),
      );
      return new EventConsumer(dataSource, options, handlers, new EventPublisher(options));
    };
    const a = replica(0, world.dataSource);
    const b = replica(1, second);
    a.start();
    b.start();
    try {
      const publisher = world.publisher();
      const envelopes: EventEnvelope[] = [];
      for (let batch = 0; batch < 4; batch += 1) {
        const payloads = Array.from({ length: EVENTS / 4 }, (_, i) => enrolledPayload(`00000000-0000-4000-8000-${String(13_000 + batch * 100 + i).padStart(12, '0')}`));
        envelopes.push(...(await world.dataSource.transaction((m) => publisher.publishMany(m, 'correction.subject.enrolled', payloads))));
      }
      const relays = [world.relay('community-correction', 'correction', { batchSize: 20 }), world.relay('community-correction', 'correction', { batchSize: 20 })];
      relays.forEach((r) => r.start());
      // Redeliveries racing the first delivery: the same envelopes under other job ids, twice.
      const queue = world.queue('alerts');
      const half = envelopes.slice(0, EVENTS / 2);
      await queue.addBulk(half.flatMap((e) => ['x', 'y'].map((tag) => ({ name: e.name, data: e, opts: { jobId: `${e.id}-${tag}` } }))));

      const ids = envelopes.map((e) => e.id);
      await waitFor(
        'every event confirmed in the outbox',
        async () => {
          const [{ n }] = await world.dataSource.query(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE id = ANY($1::uuid[]) AND delivered_at IS NOT NULL`, [ids]);
          return n === EVENTS;
        },
        60_000,
      );
      await waitFor('the redelivered jobs drained', async () => {
        const { waiting, active } = await queue.getJobCounts('waiting', 'active');
        return waiting + active === 0;
      });
      const [{ effects, distinct, inbox }] = await world.dataSource.query(
        `SELECT (SELECT count(*)::int FROM alerts.effects WHERE event_id = ANY($1::uuid[])) AS effects,
                (SELECT count(DISTINCT event_id)::int FROM alerts.effects WHERE event_id = ANY($1::uuid[])) AS distinct,
                (SELECT count(*)::int FROM alerts.bus_inbox WHERE event_id = ANY($1::uuid[])) AS inbox`,
        [ids],
      );
      expect({ effects, distinct, inbox }).toEqual({ effects: EVENTS, distinct: EVENTS, inbox: EVENTS });
      expect(calls[0] + calls[1]).toBe(EVENTS); // a duplicate waits on the inbox row and does nothing
      expect(calls[0]).toBeGreaterThan(0);
      expect(calls[1]).toBeGreaterThan(0);
      const [{ relayedTwice }] = await world.dataSource.query(`SELECT count(*)::int AS "relayedTwice" FROM correction.bus_outbox WHERE id = ANY($1::uuid[]) AND attempts <> 1`, [ids]);
      expect(relayedTwice).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

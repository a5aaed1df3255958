import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { RiskColour } from '@homeward/domain';
import { ackKeyOf } from './bus.options';
import { OutboxRelay, RELAY_TAKE_SETTINGS } from './outbox-relay';
import { AlertsTestHandlers, BusTestWorld, enrolledPayload, sleep, waitFor } from '../test/bus-harness';

jest.setTimeout(60_000);

describe('OutboxRelay (real PostgreSQL + Redis)', () => {
  const world = new BusTestWorld();
  const handlers = new AlertsTestHandlers();

  beforeAll(() => world.setUp());
  afterEach(() => world.stopAll());
  afterAll(() => world.tearDown());

  it('issue 2 item 4: a rolled-back transaction publishes nothing; the committed one next to it is delivered', async () => {
    const publisher = world.publisher();
    let rolledBackId = '';
    await expect(
      world.dataSource.transaction(async (manager) => {
        rolledBackId = (await publisher.publish(manager, 'correction.subject.enrolled', enrolledPayload())).id;
        throw new Error('business rule failed after publish');
      }),
    ).rejects.toThrow('business rule failed');
    const committed = await world.dataSource.transaction((m) => publisher.publish(m, 'correction.subject.reported', {
      subjectId: '00000000-0000-4000-8000-000000000002',
      personKey: 'b'.repeat(64),
      town: '104',
      reportedOn: '2025-03-05',
    }));

    world.consumer(handlers).start();
    world.relay().start();

    await waitFor('the committed event', async () => (await world.effects(committed.id)).length === 1);
    await sleep(500);
    expect(await world.outboxRow('correction', rolledBackId)).toBeUndefined();
    expect(await world.effects(rolledBackId)).toEqual([]);
    expect(handlers.calls.has(rolledBackId)).toBe(false);
    const [{ n }] = await world.dataSource.query(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE name = 'correction.subject.enrolled' AND payload->>'subjectId' = $1`, [enrolledPayload().subjectId]);
    expect(n).toBe(0);
  });

  it('issue 2 item 4: relay killed after commit → the event waits in the outbox and is delivered once a new relay starts', async () => {
    const consumer = world.consumer(handlers);
    consumer.start();
    const first = world.relay();
    first.start();
    await first.stop(); // the relay process dies

    const publisher = world.publisher();
    const envelope = await world.dataSource.transaction((m) =>
      publisher.publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-000000000003')),
    );
    await sleep(600);
    expect((await world.outboxRow('correction', envelope.id))?.relayed_at).toBeNull();
    expect(await world.effects(envelope.id)).toEqual([]);

    world.relay().start(); // a new replica / the restarted process
    await waitFor('delivery after restart', async () => (await world.effects(envelope.id)).length === 1);
    const row = await waitFor('delivered_at', async () => {
      const r = await world.outboxRow('correction', envelope.id);
      return r?.delivered_at ? r : undefined;
    });
    expect(row.pending_consumers).toEqual([]);
    expect(row.attempts).toBe(1);
    expect(await world.effects(envelope.id)).toHaveLength(1);
  });

  it('two relay replicas share the outbox (FOR UPDATE SKIP LOCKED): 30 events, each delivered exactly once', async () => {
    const publisher = world.publisher();
    const ids: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const e = await world.dataSource.transaction((m) =>
        publisher.publish(m, 'correction.subject.activated', {
          subjectId: `00000000-0000-4000-8000-${String(100 + i).padStart(12, '0')}`,
          personKey: 'c'.repeat(64),
          town: '104',
          activatedOn: '2025-03-10',
        }),
      );
      ids.push(e.id);
    }
    world.consumer(handlers).start();
    const a = world.relay('community-correction', 'correction', { batchSize: 3 });
    const b = world.relay('community-correction', 'correction', { batchSize: 3 });
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    const counts = await world.dataSource.query(
      `SELECT attempts, count(*)::int AS n FROM correction.bus_outbox WHERE id = ANY($1::uuid[]) GROUP BY attempts`,
      [ids],
    );
    expect(counts).toEqual([{ attempts: 1, n: 30 }]);
    await waitFor('all 30 effects', async () => {
      const [{ n }] = await world.dataSource.query(`SELECT count(*)::int AS n FROM alerts.effects WHERE event_id = ANY($1::uuid[])`, [ids]);
      return n === 30;
    });
    const [{ distinct }] = await world.dataSource.query(
      `SELECT count(DISTINCT event_id)::int AS distinct FROM alerts.effects WHERE event_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(distinct).toBe(30);
  });

  it('issue 14 item 6: a relay pass purges inbox rows past inboxRetentionDays (30) and keeps the recent ones', async () => {
    const old = '00000000-0000-4000-8000-00000000e601';
    const recent = '00000000-0000-4000-8000-00000000e602';
    await world.dataSource.query(
      `INSERT INTO correction.bus_inbox (event_id, handler, event_name, processed_at)
       VALUES ($1, 'Test.h', 'correction.subject.enrolled', now() - interval '31 days'), ($2, 'Test.h', 'correction.subject.enrolled', now() - interval '29 days')`,
      [old, recent],
    );
    await world.relay('community-correction', 'correction').runOnce();
    const left: Array<{ event_id: string }> = await world.dataSource.query(`SELECT event_id FROM correction.bus_inbox WHERE event_id = ANY($1::uuid[])`, [[old, recent]]);
    expect(left.map((r) => r.event_id)).toEqual([recent]);
  });

  it('the NOTIFY sent on commit wakes a relay whose poll interval is a minute', async () => {
    world.consumer(handlers).start();
    const relay = world.relay('community-correction', 'correction', { relayIntervalMs: 60_000 });
    relay.start();
    await sleep(300); // first pass done, now listening and sleeping for a minute
    const e = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.terminated', {
        subjectId: '00000000-0000-4000-8000-000000000007',
        personKey: 'd'.repeat(64),
        town: '104',
        terminatedOn: '2025-04-01',
        reason: 'REVOKED',
      }),
    );
    await waitFor('delivery woken by NOTIFY', async () => (await world.effects(e.id)).length === 1, 5_000);
  });

  it('issue 13 S1: a completed event job is removed at once; the reconcile confirms it from the consumer\'s acknowledgement, re-relays nothing and empties the ack set', async () => {
    const handlers = new AlertsTestHandlers();
    world.consumer(handlers).start();
    const relay = world.relay('community-correction', 'correction', { reconcileAfterMs: 200 });
    const envelope = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-00000013a001')),
    );
    await relay.runOnce();
    await waitFor('the effect', async () => (await world.effects(envelope.id)).length === 1);
    const queue = world.queue('alerts');
    await waitFor('the job removed on completion', async () => (await queue.getJobState(envelope.id)) === 'unknown');
    const redis = new Redis(world.redisUrl);
    try {
      const key = ackKeyOf(world.prefix, 'community-correction');
      expect(await redis.zscore(key, `${envelope.id}:alerts`)).not.toBeNull();
      await sleep(300);
      const pass = await relay.reconcile(); // earlier tests of this file may leave rows of their own to confirm
      expect(pass.requeued).toBe(0);
      expect(pass.delivered).toBeGreaterThanOrEqual(1);
      expect(await world.outboxRow('correction', envelope.id)).toMatchObject({ attempts: 1, pending_consumers: [] });
      expect((await world.outboxRow('correction', envelope.id))?.delivered_at).not.toBeNull();
      expect(await redis.zscore(key, `${envelope.id}:alerts`)).toBeNull();
    } finally {
      redis.disconnect();
    }
    expect(handlers.calls.get(envelope.id)).toBe(1);
  });

  it('issue 2: the relayed job carries the envelope as published — occurredAt to the millisecond, in UTC', async () => {
    const envelope = await world.dataSource.transaction((m) =>
      world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload('00000000-0000-4000-8000-00000013a002')),
    );
    const relay = world.relay('community-correction', 'correction');
    await relay.relayBatch();
    const job = await world.queue('alerts').getJob(envelope.id);
    expect(job?.data).toEqual(envelope);
    expect(job?.data.occurredAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('an event nobody consumes is marked delivered at relay time', async () => {
    const publisher = world.publisher('alerts', 'alerts');
    const e = await world.dataSource.transaction((m) =>
      publisher.publish(m, 'alerts.alert.raised', {
        alertId: '00000000-0000-4000-8000-000000000009',
        rule: 'CC-4',
        personKey: null,
        town: '104',
        colour: RiskColour.ORANGE,
        recordType: 'correction.subject',
        recordId: '1',
      }),
    );
    await world.relay('alerts', 'alerts').runOnce();
    const row = await world.outboxRow('alerts', e.id);
    expect(row?.relayed_at).not.toBeNull();
    expect(row?.delivered_at).not.toBeNull();
  });

  it('issue 13 S1: a relay batch reads its batch from the unrelayed index in seq order, not the whole backlog (planner statistics that do not know it)', async () => {
    const relay = world.relay('community-correction', 'correction', { batchSize: 100 });
    // a backlog on an outbox the planner has no statistics of (as after a TRUNCATE, or before autovacuum's first ANALYZE)
    await world.dataSource.query('TRUNCATE correction.bus_outbox');
    const backlog = await world.dataSource.transaction((m) =>
      world.publisher().publishMany(m, 'correction.subject.enrolled', Array.from({ length: 3000 }, () => enrolledPayload())),
    );
    const runner = world.dataSource.createQueryRunner();
    await runner.connect();
    let plan: PlanNode;
    try {
      await runner.query(`START TRANSACTION; ${RELAY_TAKE_SETTINGS}`);
      [{ 'QUERY PLAN': [{ Plan: plan }] }] = await runner.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${relay.takeQuery()}`);
    } finally {
      await runner.query('ROLLBACK');
      await runner.release();
    }
    // every read of the outbox in the plan: at most the batch (the pkey's 100 loops of one row); a bitmap scan
    // with a sort read all 3,000 unrelayed rows for each batch of 100
    const reads = planNodes(plan).filter((n) => n['Relation Name'] === 'bus_outbox');
    expect(reads.length).toBeGreaterThan(0);
    expect(Math.max(...reads.map((n) => n['Actual Rows'] * n['Actual Loops']))).toBeLessThanOrEqual(100);
    expect(reads.map((n) => n['Node Type'])).not.toContain('Bitmap Heap Scan');
    // and the batch itself: the first 100 of the backlog, in order
    expect(await relay.relayBatch()).toBe(100);
    const relayed: { id: string }[] = await world.dataSource.query(
      `SELECT id FROM correction.bus_outbox WHERE id = ANY($1::uuid[]) AND relayed_at IS NOT NULL ORDER BY seq`,
      [backlog.map((e) => e.id)],
    );
    expect(relayed.map((r) => r.id)).toEqual(backlog.slice(0, 100).map((e) => e.id));
    await world.dataSource.query('TRUNCATE correction.bus_outbox'); // the rest of the backlog is no other test's
  });

  it('issue 13 S1: under a stream of single commits the relay runs one transaction per wake-up (no empty second lane, no reconcile at every pass)', async () => {
    // the relay on a DataSource of its own, so only its transactions are counted
    const relaySource = new DataSource({ type: 'postgres', url: world.db.url, extra: { max: 4 } });
    await relaySource.initialize();
    const relay = new OutboxRelay(relaySource, world.options('community-correction', 'correction', { relayIntervalMs: 60_000 }));
    try {
      relay.start();
      await sleep(300); // the first pass (with its reconcile) is over
      let transactions = 0;
      const open = relaySource.createQueryRunner.bind(relaySource);
      relaySource.createQueryRunner = (...args: Parameters<DataSource['createQueryRunner']>) => {
        transactions += 1;
        return open(...args);
      };
      const events = 10;
      for (let i = 0; i < events; i += 1) {
        const e = await world.dataSource.transaction((m) => world.publisher().publish(m, 'correction.subject.enrolled', enrolledPayload(`00000000-0000-4000-8000-0000000009${String(i).padStart(2, '0')}`)));
        await waitFor(`event ${i} relayed`, async () => (await world.outboxRow('correction', e.id))?.relayed_at);
      }
      // one batch per NOTIFY (measured: exactly 10), a little room for a wake-up that finds nothing; it was
      // three a pass (two lanes + the reconcile: 30), and 20 with the lanes staggered but a reconcile every pass
      expect(transactions).toBeGreaterThanOrEqual(events);
      expect(transactions).toBeLessThanOrEqual(events + 3);
    } finally {
      await relay.stop();
      await relaySource.destroy();
    }
  });
});

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Plans?: PlanNode[];
}

/** Every node of an EXPLAIN (FORMAT JSON) plan. */
function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

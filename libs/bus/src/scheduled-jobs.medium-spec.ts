import { PiiInPayloadError } from '@homeward/domain';
import { EventPublisher } from './event-publisher';
import { BusJobs } from './bus-jobs';
import { SCHEDULED_COMPLETED_RETENTION_SECONDS } from './outbox-relay';
import { AlertsTestHandlers, BusTestWorld, sleep, waitFor } from '../test/bus-harness';

jest.setTimeout(60_000);

const QUEUE = 'test.reminders';

/** A movable clock far from the wall clock: the delay is taken from it, not from the date of the run. */
class MovableClock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date): void {
    this.at = at;
  }
}

describe('issue 8 items 4 and 5: delayed jobs and batches through the outbox (real PostgreSQL + Redis + BullMQ)', () => {
  const world = new BusTestWorld();
  const clock = new MovableClock(new Date('2031-05-04T01:00:00.000Z'));
  let runs: Array<{ id: string; name: string; data: unknown; at: number }>;
  let jobs: BusJobs | undefined;

  const publisher = (): EventPublisher => new EventPublisher(world.options('community-correction', 'correction'), clock);

  /** The app's job facility with a processor on QUEUE that records each run. */
  async function startJobs(): Promise<BusJobs> {
    const options = world.options('community-correction', 'correction');
    jobs = new BusJobs(options);
    jobs.process(QUEUE, async (job) => {
      runs.push({ id: String(job.id), name: job.name, data: job.data, at: Date.now() });
      return 'done';
    });
    await jobs.start();
    return jobs;
  }

  beforeAll(() => world.setUp());
  beforeEach(() => {
    runs = [];
  });
  afterEach(async () => {
    await world.stopAll();
    await jobs?.close();
    jobs = undefined;
  });
  afterAll(() => world.tearDown());

  it('issue 8 item 5: a job scheduled in a transaction that rolls back never runs', async () => {
    await startJobs();
    world.relay().start();
    await expect(
      world.dataSource.transaction(async (m) => {
        await publisher().scheduleJob(m, { queue: QUEUE, name: 'remind', data: { watchId: 'w-rolled-back' }, jobId: 'rolled-back-1', runAt: clock.now() });
        throw new Error('the business write failed after scheduling');
      }),
    ).rejects.toThrow('business write failed');
    // A committed job due at once, scheduled after it: once it ran, the relay has been past the rolled-back one.
    await world.dataSource.transaction((m) =>
      publisher().scheduleJob(m, { queue: QUEUE, name: 'remind', data: { watchId: 'w-committed' }, jobId: 'committed-1', runAt: clock.now() }),
    );
    await waitFor('the committed job', async () => runs.length === 1);
    await sleep(500);
    expect(runs.map((r) => r.id)).toEqual(['committed-1']);
    const [{ n }] = await world.dataSource.query(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE job_id = 'rolled-back-1'`);
    expect(n).toBe(0);
  });

  it('issue 8 item 5: a job scheduled in a committed transaction runs once, at its time by the bus clock', async () => {
    await startJobs();
    world.relay().start();
    const scheduledAt = Date.now();
    // Due 1.5 s after the movable clock's "now" (years away from the wall clock): the delay is 1.5 s.
    await world.dataSource.transaction((m) =>
      publisher().scheduleJob(m, {
        queue: QUEUE,
        name: 'remind',
        data: { watchId: 'w-1' },
        jobId: 'watch-w-1-due',
        runAt: new Date(clock.now().getTime() + 1_500),
      }),
    );
    const row = await waitFor('relayed', async () => {
      const [r] = await world.dataSource.query(`SELECT relayed_at, delivered_at FROM correction.bus_outbox WHERE job_id = 'watch-w-1-due'`);
      return r?.relayed_at ? r : undefined;
    });
    expect(row.delivered_at).not.toBeNull();
    expect(runs).toEqual([]); // relayed, but not due yet
    await waitFor('the job at its time', async () => runs.length === 1, 10_000);
    expect(runs[0]).toMatchObject({ id: 'watch-w-1-due', name: 'remind', data: { watchId: 'w-1' } });
    expect(runs[0].at - scheduledAt).toBeGreaterThanOrEqual(1_400);
    await sleep(800);
    expect(runs).toHaveLength(1);
  });

  it('issue 8 item 5: a relay restart that relays the same row again (crash before its commit) does not double the job', async () => {
    await startJobs();
    await world.dataSource.transaction((m) =>
      publisher().scheduleJob(m, { queue: QUEUE, name: 'remind', data: { watchId: 'w-2' }, jobId: 'watch-w-2-due', runAt: new Date(clock.now().getTime() + 600) }),
    );
    const first = world.relay();
    expect((await first.runOnce()).relayed).toBe(1);
    await first.stop();
    // The relay died after adding the job but before its transaction committed: the row looks unrelayed.
    await world.dataSource.query(`UPDATE correction.bus_outbox SET relayed_at = NULL, delivered_at = NULL WHERE job_id = 'watch-w-2-due'`);
    const second = world.relay(); // the restarted process
    expect((await second.runOnce()).relayed).toBe(1);
    await waitFor('the job', async () => runs.length === 1, 10_000);
    // Issue 13 S1: the completed job is kept only as long as such a retry can happen (an hour, not a day).
    const kept = await world.queue('alerts', QUEUE).getJob('watch-w-2-due');
    expect(kept?.opts.removeOnComplete).toEqual({ age: SCHEDULED_COMPLETED_RETENTION_SECONDS });
    expect(SCHEDULED_COMPLETED_RETENTION_SECONDS).toBeLessThanOrEqual(3600);
    // Relayed a third time after it ran (completed jobs are kept): still once.
    await world.dataSource.query(`UPDATE correction.bus_outbox SET relayed_at = NULL, delivered_at = NULL WHERE job_id = 'watch-w-2-due'`);
    await world.relay().runOnce();
    await sleep(1_000);
    expect(runs.map((r) => r.id)).toEqual(['watch-w-2-due']);
    const [{ attempts }] = await world.dataSource.query(`SELECT attempts FROM correction.bus_outbox WHERE job_id = 'watch-w-2-due'`);
    expect(attempts).toBe(3);
  });

  it('issue 8 item 5: job data with personal data is refused before anything is written', async () => {
    await expect(
      world.dataSource.transaction((m) =>
        publisher().scheduleJob(m, { queue: QUEUE, name: 'remind', data: { idNumber: '11010519491231002X' }, jobId: 'leaky-1', runAt: clock.now() }),
      ),
    ).rejects.toThrow(PiiInPayloadError);
    const [{ n }] = await world.dataSource.query(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE job_id = 'leaky-1'`);
    expect(n).toBe(0);
  });

  describe('publishMany', () => {
    const activated = (i: number) => ({
      subjectId: `00000000-0000-4000-8000-${String(500 + i).padStart(12, '0')}`,
      personKey: 'e'.repeat(64),
      town: '104',
      activatedOn: '2031-05-04',
    });

    it('issue 8 item 4: a batch with one payload carrying personal data is refused whole by the catalogue guard: nothing is written', async () => {
      const batch = [activated(1), { ...activated(2), name: '张三' }, activated(3)];
      await expect(world.dataSource.transaction((m) => publisher().publishMany(m, 'correction.subject.activated', batch))).rejects.toThrow(PiiInPayloadError);
      const [{ n }] = await world.dataSource.query(`SELECT count(*)::int AS n FROM correction.bus_outbox WHERE payload->>'subjectId' = ANY($1)`, [
        batch.map((p) => p.subjectId),
      ]);
      expect(n).toBe(0);
    });

    it('issue 8 item 4: a batch of 40 events is ONE insert statement, and every event is relayed and delivered once', async () => {
      const handlers = new AlertsTestHandlers();
      world.consumer(handlers).start();
      world.relay().start();
      const batch = Array.from({ length: 40 }, (_, i) => activated(10 + i));
      const statements: string[] = [];
      const envelopes = await world.dataSource.transaction(async (m) => {
        const query = m.query.bind(m);
        m.query = ((sql: string, params?: unknown[]) => {
          statements.push(sql);
          return query(sql, params);
        }) as typeof m.query;
        return publisher().publishMany(m, 'correction.subject.activated', batch);
      });
      expect(statements.filter((s) => s.includes('INSERT'))).toHaveLength(1);
      expect(envelopes.map((e) => e.payload.subjectId)).toEqual(batch.map((p) => p.subjectId));
      expect(envelopes[0]).toMatchObject({ name: 'correction.subject.activated', version: 1, occurredAt: '2031-05-04T01:00:00.000Z' });
      await waitFor('40 effects', async () => (await world.effects()).filter((e) => envelopes.some((x) => x.id === e.event_id)).length === 40);
      await sleep(300);
      const effects = (await world.effects()).filter((e) => envelopes.some((x) => x.id === e.event_id));
      expect(new Set(effects.map((e) => e.event_id)).size).toBe(40);
      expect(effects).toHaveLength(40);
    });
  });
});

import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { DEADLINES_QUEUE, DeadlineScheduler, deadlineJobId } from './deadline-scheduler';
import { WatchesService } from './watches.service';

jest.setTimeout(60_000);

const KEY = 'd'.repeat(64);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('issue 13: only the due-date checks within ALERT_JOB_HORIZON_HOURS are jobs in Redis (real PostgreSQL + Redis + BullMQ)', () => {
  let h: AlertsHarness;
  let ds: DataSource;
  let watches: WatchesService;
  let scheduler: DeadlineScheduler;
  let connection: IORedis;
  let checks: Queue;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));

  const arm = (recordId: string, dueAt: Date) =>
    ds.transaction((m) =>
      watches.arm(m, { rule: 'CC-13.LEAVE_OVERSTAYED', recordType: 'correction.leave', recordId, personKey: KEY, town: '104', dueAt, details: {}, asOf: clock.now() }),
    );
  /** The check jobs written to the outbox for a watch. */
  const jobRowsOf = async (watchId: string): Promise<string[]> =>
    (await ds.query(`SELECT job_id FROM alerts.bus_outbox WHERE job_queue = $1 AND payload->>'watchId' = $2 ORDER BY seq`, [DEADLINES_QUEUE, watchId])).map(
      (r: { job_id: string }) => r.job_id,
    );
  const relayed = () => eventually(() => ds.query(`SELECT count(*)::int AS n FROM alerts.bus_outbox WHERE relayed_at IS NULL`), (r) => r[0].n === 0);

  beforeAll(async () => {
    h = await bootAlertsApp({ label: 'alhorizon', clock, keys });
    ds = h.dataSource;
    watches = h.app.get(WatchesService);
    scheduler = h.app.get(DeadlineScheduler);
    connection = new IORedis(h.redisUrl, { maxRetriesPerRequest: null });
    checks = new Queue(DEADLINES_QUEUE, { connection, prefix: h.prefix });
  });
  afterAll(async () => {
    await checks?.close();
    connection?.disconnect();
    await h?.close();
  });

  const far = { recordId: randomUUID(), dueAt: new Date(clock.now().getTime() + 3 * DAY) };
  let farId: string;

  it('issue 13: a watch due within the horizon (24 h by default) gets its delayed check when armed; one due in 3 days gets no outbox row and no Redis job', async () => {
    const nearDue = new Date(clock.now().getTime() + 2 * HOUR);
    const near = await arm(randomUUID(), nearDue);
    const later = await arm(far.recordId, far.dueAt);
    farId = later.id;
    expect(near.changed && later.changed).toBe(true);
    await relayed();

    expect(await jobRowsOf(near.id)).toEqual([deadlineJobId(near.id, nearDue)]);
    expect(await checks.getJobState(deadlineJobId(near.id, nearDue))).toBe('delayed');
    expect(await jobRowsOf(later.id)).toEqual([]);
    expect(await checks.getJob(deadlineJobId(later.id, far.dueAt))).toBeUndefined();
    const rows = await ds.query(`SELECT id, check_due_at FROM alerts.watches WHERE id = ANY($1::uuid[])`, [[near.id, later.id]]);
    const noted = new Map(rows.map((r: { id: string; check_due_at: Date | null }) => [r.id, r.check_due_at ? new Date(r.check_due_at).toISOString() : null]));
    expect(noted.get(near.id)).toBe(nearDue.toISOString());
    expect(noted.get(later.id)).toBeNull();
  });

  it('issue 13: the refill adds the check when the watch comes within the horizon (by the movable clock), and only once', async () => {
    clock.set(new Date(far.dueAt.getTime() - 25 * HOUR));
    await scheduler.refill();
    expect(await jobRowsOf(farId)).toEqual([]);

    clock.set(new Date(far.dueAt.getTime() - 23 * HOUR));
    await scheduler.refill();
    expect(await jobRowsOf(farId)).toEqual([deadlineJobId(farId, far.dueAt)]);
    await relayed();
    expect(await checks.getJobState(deadlineJobId(farId, far.dueAt))).toBe('delayed');

    // The next refill period: the check is written already, nothing is added again.
    clock.set(new Date(far.dueAt.getTime() - 22 * HOUR));
    await scheduler.refill();
    expect(await jobRowsOf(farId)).toHaveLength(1);
  });

  it('issue 13 (issue 8 item 4): a re-arm to a time beyond the horizon writes no check then; the refill writes the check at the new time when it comes within the horizon', async () => {
    const moved = new Date(far.dueAt.getTime() + 5 * DAY);
    const again = await arm(far.recordId, moved);
    expect(again).toMatchObject({ id: farId, changed: true });
    expect(await jobRowsOf(farId)).toHaveLength(1);
    await scheduler.refill();
    expect(await jobRowsOf(farId)).toHaveLength(1);

    clock.set(new Date(moved.getTime() - 12 * HOUR));
    await scheduler.refill();
    expect(await jobRowsOf(farId)).toEqual([deadlineJobId(farId, far.dueAt), deadlineJobId(farId, moved)]);
    await relayed();
    expect(await checks.getJobState(deadlineJobId(farId, moved))).toBe('delayed');
  });

  it('issue 13: the refill is a kept job scheduler beside the sweep (re-registered after Redis loss, reported by readiness)', async () => {
    expect(await checks.getJobScheduler('deadline-refill')).toMatchObject({ name: 'refill', every: 3_600_000 });
    expect(await checks.getJobScheduler('deadline-sweep')).toBeTruthy();
  });
});

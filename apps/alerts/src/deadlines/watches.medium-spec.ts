import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SentenceType } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { WatchesService } from './watches.service';

jest.setTimeout(60_000);

const KEY = 'c'.repeat(64);
const LEAVE = 'correction.leave';

describe('AL-3 watches: one owner, one conflict rule (issue 8 item 4; real PostgreSQL + Redis + BullMQ)', () => {
  let h: AlertsHarness;
  let ds: DataSource;
  let watches: WatchesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-06-01T02:00:00Z'));

  const watchOf = async (rule: string, recordId: string) =>
    (await ds.query(`SELECT id, due_at, satisfied_at, fired_at, town FROM alerts.watches WHERE rule = $1 AND record_id = $2`, [rule, recordId]))[0];
  /** The delayed checks written to the outbox for a watch (job ids carry the due time). */
  const checksOf = async (watchId: string): Promise<string[]> =>
    (await ds.query(`SELECT job_id FROM alerts.bus_outbox WHERE job_queue = 'alerts.deadlines' AND payload->>'watchId' = $1 ORDER BY seq`, [watchId])).map(
      (r: { job_id: string }) => r.job_id,
    );
  const arm = (recordId: string, dueAt: string, asOf: string, town = '104') =>
    ds.transaction((m) =>
      watches.arm(m, { rule: 'CC-13.LEAVE_OVERSTAYED', recordType: LEAVE, recordId, personKey: KEY, town, dueAt: new Date(dueAt), details: {}, asOf }),
    );

  beforeAll(async () => {
    // This file checks the delayed checks an arming writes, months ahead: a horizon of 31 days covers them
    // (the horizon itself: deadline-horizon.medium-spec.ts).
    h = await bootAlertsApp({ label: 'alwatches', clock, keys, env: { ALERT_JOB_HORIZON_HOURS: '744' } });
    ds = h.dataSource;
    watches = h.app.get(WatchesService);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('CC-13 (issue 8 item 4): a later arming moves the due date and gets its own delayed check; an older arming delivered late changes nothing', async () => {
    const leave = randomUUID();
    const first = await arm(leave, '2026-06-10T16:00:00Z', '2026-06-01T02:00:00Z');
    expect(first.changed).toBe(true);
    expect(await checksOf(first.id)).toEqual([`watch-${first.id}-${Date.parse('2026-06-10T16:00:00Z')}`]);

    // An extension (later event) moves the due date and the town; a new check at the new time.
    const moved = await arm(leave, '2026-06-20T16:00:00Z', '2026-06-05T02:00:00Z', '107');
    expect(moved).toMatchObject({ id: first.id, changed: true });
    expect(new Date((await watchOf('CC-13.LEAVE_OVERSTAYED', leave)).due_at).toISOString()).toBe('2026-06-20T16:00:00.000Z');
    expect((await watchOf('CC-13.LEAVE_OVERSTAYED', leave)).town).toBe('107');
    expect(await checksOf(first.id)).toHaveLength(2);

    // The approval delivered again, late: older than the extension, it does not move the date back.
    const stale = await arm(leave, '2026-06-10T16:00:00Z', '2026-06-01T02:00:00Z');
    expect(stale.changed).toBe(false);
    expect(new Date((await watchOf('CC-13.LEAVE_OVERSTAYED', leave)).due_at).toISOString()).toBe('2026-06-20T16:00:00.000Z');
    expect(await checksOf(first.id)).toHaveLength(2);

    // The same arming again: nothing new to schedule.
    expect((await arm(leave, '2026-06-20T16:00:00Z', '2026-06-05T02:00:00Z', '107')).changed).toBe(false);
    expect(await checksOf(first.id)).toHaveLength(2);
  });

  it('CC-13 (issue 8 item 4): a fired watch re-armed to a later date is pending again (its alert can be raised again)', async () => {
    const leave = randomUUID();
    const w = await arm(leave, '2026-05-31T16:00:00Z', '2026-05-20T02:00:00Z');
    expect(await h.deadlines.check(w.id)).toBe('raised');
    expect((await watchOf('CC-13.LEAVE_OVERSTAYED', leave)).fired_at).not.toBeNull();
    const again = await arm(leave, '2026-06-15T16:00:00Z', '2026-06-01T02:00:00Z');
    expect(again).toMatchObject({ changed: true, firedAt: null });
    expect((await watchOf('CC-13.LEAVE_OVERSTAYED', leave)).fired_at).toBeNull();
  });

  it('CC-13 (issue 8 item 4): a settled watch stays settled against any later arming, and a settle that arrives first writes it settled', async () => {
    const returned = randomUUID();
    await arm(returned, '2026-06-10T16:00:00Z', '2026-06-01T02:00:00Z');
    const ref = { recordType: LEAVE, recordId: returned, personKey: KEY, town: '104' };
    expect(await ds.transaction((m) => watches.settle(m, ref, ['CC-13.LEAVE_OVERSTAYED']))).toBe(1);
    const later = await arm(returned, '2026-06-30T16:00:00Z', '2026-06-09T02:00:00Z');
    expect(later.changed).toBe(false);
    expect(later.satisfiedAt).not.toBeNull();

    // The return handled before the approval (out of order): the approval finds the watch settled, schedules nothing.
    const early = randomUUID();
    await ds.transaction((m) => watches.settle(m, { ...ref, recordId: early }, ['CC-13.LEAVE_OVERSTAYED']));
    const approval = await arm(early, '2026-06-10T16:00:00Z', '2026-06-01T02:00:00Z');
    expect(approval.satisfiedAt).not.toBeNull();
    expect(await checksOf(approval.id)).toEqual([]);
    clock.set(new Date('2026-06-11T02:00:00Z'));
    await h.deadlines.sweep();
    expect(await ds.query(`SELECT 1 FROM alerts.alerts WHERE record_id = ANY($1)`, [[returned, early]])).toEqual([]);
  });

  it('CC-9 (issue 8 item 4): the check-in watches follow the same rule — a check-in after the discharge does not reopen them', async () => {
    clock.set(new Date('2026-06-01T02:00:00Z'));
    const subjectId = randomUUID();
    const base = { subjectId, personKey: KEY, town: '104' };
    await h.deliver('correction.supervision.level-changed', { ...base, level: 'STRICT', checkInIntervalDays: 7, nextCheckInDue: '2026-06-05' });
    await eventually(() => ds.query(`SELECT 1 FROM alerts.watches WHERE record_id = $1`, [subjectId]), (r) => r.length === 2);
    clock.set(new Date('2026-06-03T02:00:00Z'));
    const discharged = await h.deliver('correction.subject.discharged', {
      ...base,
      dischargedOn: '2026-06-03',
      reason: 'EXPIRED',
      correctionEndDate: '2026-06-03',
      sentenceType: SentenceType.PROBATION,
    });
    await eventually(() => ds.query(`SELECT 1 FROM alerts.bus_inbox WHERE event_id = $1`, [discharged]), (r) => r.length > 0);
    clock.set(new Date('2026-06-04T02:00:00Z'));
    const checkIn = await h.deliver('correction.checkin.recorded', {
      ...base,
      checkInId: randomUUID(),
      channel: 'FACE_TO_FACE',
      checkedInOn: '2026-06-03',
      checkInIntervalDays: 7,
      nextCheckInDue: '2026-06-10',
    });
    await eventually(() => ds.query(`SELECT 1 FROM alerts.bus_inbox WHERE event_id = $1`, [checkIn]), (r) => r.length > 0);
    const rows = await ds.query(`SELECT rule, satisfied_at FROM alerts.watches WHERE record_id = $1 ORDER BY rule`, [subjectId]);
    expect(rows.map((r: { satisfied_at: Date | null }) => r.satisfied_at !== null)).toEqual([true, true]);
    clock.set(new Date('2026-06-30T02:00:00Z'));
    await h.deadlines.sweep();
    expect(await ds.query(`SELECT rule FROM alerts.alerts WHERE record_id = $1`, [subjectId])).toEqual([]);
  });

  it('CC-10 (issue 8 item 4): two armings of one new watch at once (the boot run and the periodic run): the later-armed one wins, the other returns the row instead of failing', async () => {
    const recordId = randomUUID();
    const args = (asOf: string) => ({ rule: 'CC-13.LEAVE_OVERSTAYED', recordType: LEAVE, recordId, personKey: KEY, town: '104', dueAt: new Date('2026-07-01T16:00:00Z'), details: {}, asOf });
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((r) => (releaseFirst = r));
    let firstArmed!: () => void;
    const armedInFirst = new Promise<void>((r) => (firstArmed = r));
    // The first transaction writes the watch (armed later) and holds its commit.
    const first = ds.transaction(async (m) => {
      const w = await watches.arm(m, args('2026-06-02T02:00:00Z'));
      firstArmed();
      await firstHolds;
      return w;
    });
    await armedInFirst;
    // The second (an older arming) conflicts on the uncommitted row and waits for it.
    const second = ds.transaction((m) => watches.arm(m, args('2026-06-01T02:00:00Z')));
    await new Promise((r) => setTimeout(r, 300));
    releaseFirst();
    const [a, b] = await Promise.all([first, second]);
    expect(b.id).toBe(a.id);
    expect(b.changed).toBe(false);
    expect(await ds.query(`SELECT count(*)::int AS n FROM alerts.watches WHERE record_id = $1`, [recordId])).toEqual([{ n: 1 }]);
  });

  it('issue 13 S2: armMany arms several watches in ONE statement under arm\'s rule — answers in input order, a settled one stays settled, the same watch twice applies in order', async () => {
    const settled = randomUUID();
    const fresh = randomUUID();
    const moved = randomUUID();
    await ds.transaction((m) => watches.settle(m, { recordType: LEAVE, recordId: settled, personKey: KEY, town: '104' }, ['CC-13.LEAVE_OVERSTAYED']));
    const before = await arm(moved, '2026-06-10T16:00:00Z', '2026-06-01T02:00:00Z');
    const input = (recordId: string, dueAt: string) => ({
      rule: 'CC-13.LEAVE_OVERSTAYED', recordType: LEAVE, recordId, personKey: KEY, town: '104', dueAt: new Date(dueAt), details: { n: recordId }, asOf: '2026-06-02T02:00:00Z',
    });
    let statements = 0;
    const out = await ds.transaction((m) => {
      const query = m.query.bind(m);
      // count the statements the arming sends (the manager stays the real one)
      m.query = ((sql: string, params?: unknown[]) => {
        if (!/bus_outbox/.test(sql) && !/check_due_at/.test(sql)) statements += 1;
        return query(sql, params);
      }) as typeof m.query;
      return watches.armMany(m, [input(fresh, '2026-06-12T16:00:00Z'), input(settled, '2026-06-13T16:00:00Z'), input(moved, '2026-06-14T16:00:00Z')]);
    });
    expect(statements).toBe(1);
    expect(out.map((w) => w.changed)).toEqual([true, false, true]);
    expect(out[0].dueAt.toISOString()).toBe('2026-06-12T16:00:00.000Z');
    expect(out[1].satisfiedAt).not.toBeNull();
    expect(out[2].id).toBe(before.id);
    expect(new Date((await watchOf('CC-13.LEAVE_OVERSTAYED', moved)).due_at).toISOString()).toBe('2026-06-14T16:00:00.000Z');
    expect(new Date((await watchOf('CC-13.LEAVE_OVERSTAYED', settled)).due_at).toISOString()).not.toBe('2026-06-13T16:00:00.000Z');
    // each changed pending watch got its delayed check, as arm gives it
    expect(await checksOf(out[0].id)).toEqual([`watch-${out[0].id}-${Date.parse('2026-06-12T16:00:00Z')}`]);
    expect(await checksOf(out[1].id)).toEqual([]);

    const twice = randomUUID();
    const [a, b] = await ds.transaction((m) => watches.armMany(m, [input(twice, '2026-06-15T16:00:00Z'), input(twice, '2026-06-16T16:00:00Z')]));
    expect(b.id).toBe(a.id);
    expect(new Date((await watchOf('CC-13.LEAVE_OVERSTAYED', twice)).due_at).toISOString()).toBe('2026-06-16T16:00:00.000Z');
  });
});

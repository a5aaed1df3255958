import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { Role } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { AlertsService } from '../alerts/alerts.service';
import { liveChannel, type LiveMessage } from '../live/live-feed.publisher';
import { PeriodsService } from '../periods/periods.service';
import { DeadlinesService } from './deadlines.service';
import { WatchesService } from './watches.service';

jest.setTimeout(60_000);

const ORDINARY = 'e'.repeat(64);
const KEY_PERSON = 'f'.repeat(64);
const ORGANISED = '9'.repeat(64);
const HOUR = 3_600_000;

interface WatchRow {
  id: string;
  rule: string;
  record_type: string;
  record_id: string;
  person_key: string | null;
  town: string | null;
  due_at: Date;
  details: Record<string, unknown>;
}

/** Record ids carry their group (`one:` or `set:`); the rest of the id is the same in both groups. */
const shapeOf = (recordId: string) => recordId.replace(/^(one|set):/, '');

describe('issue 13: the due-date sweep is set-based, one transaction per batch (real PostgreSQL + Redis + BullMQ)', () => {
  let h: AlertsHarness;
  let ds: DataSource;
  let watches: WatchesService;
  let deadlines: DeadlinesService;
  let alerts: AlertsService;
  let subscriber: IORedis;
  const live: LiveMessage[] = [];
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  /** Due 00:00 on 11 March in Shanghai; swept at 10:00 that day, inside the sensitive period of town 104. */
  const DUE = new Date('2027-03-10T16:00:00Z');

  const arm = (w: { rule: string; recordType: string; recordId: string; personKey: string | null; town: string | null; dueAt: Date; details?: Record<string, unknown> }) =>
    ds.transaction((m) => watches.arm(m, { ...w, details: w.details ?? {}, asOf: clock.now() }));

  beforeAll(async () => {
    h = await bootAlertsApp({ label: 'alsweep', clock, keys });
    ds = h.dataSource;
    watches = h.app.get(WatchesService);
    deadlines = h.app.get(DeadlinesService);
    alerts = h.app.get(AlertsService);
    subscriber = new IORedis(h.redisUrl, { maxRetriesPerRequest: null });
    await subscriber.subscribe(liveChannel(h.config));
    subscriber.on('message', (_channel, text: string) => live.push(JSON.parse(text) as LiveMessage));

    // AL-4: a sensitive period for town 104 and a key person; CC-25: a person in an organised-crime case.
    const admin = staffPrincipal({ username: 'admin.city', roles: [Role.CITY_ADMIN], towns: ['*'] });
    await h.app.get(PeriodsService).create(admin, { name: '全国两会', startsOn: '2027-03-05', endsOn: '2027-03-15', towns: ['104'] });
    await ds.transaction((m) => alerts.noteKeyPerson(m, KEY_PERSON, true, 'correction', '104'));
    await h.deliver('correction.subject.organised-crime-flag', { subjectId: randomUUID(), personKey: ORGANISED, town: '104', flagged: true });
    await eventually(() => ds.query(`SELECT organised_crime FROM alerts.person_flags WHERE person_key = $1`, [ORGANISED]), (r) => r[0]?.organised_crime === true);
  });
  afterAll(async () => {
    subscriber?.disconnect();
    await h?.close();
  });

  /** The same watches in group `group`: every rule colour, person kind and town, an AL-4 day watch, one already open, one settled, one not due. */
  async function armGroup(group: 'one' | 'set'): Promise<void> {
    const rules: Array<[string, string, Record<string, unknown>]> = [
      ['CC-4.NOT_REPORTED', 'correction.subject', { reportDeadline: '2027-03-10' }],
      ['CC-2.CORRECTION_ENDING', 'correction.subject', {}],
      // AL-4 counts the day the check-in was missed: 1 March (no period) and 12 March (in the period).
      ['AL-4.DAILY_CHECKIN_MISSING', 'correction.subject-day', { periodDay: '2027-03-01' }],
      ['AL-4.DAILY_CHECKIN_MISSING', 'correction.subject-day', { periodDay: '2027-03-12' }],
    ];
    for (const [r, [rule, recordType, details]] of rules.entries()) {
      for (const personKey of [ORDINARY, KEY_PERSON, ORGANISED, null]) {
        for (const town of ['104', '107']) {
          await arm({ rule, recordType, recordId: `${group}:${r}-${personKey?.[0] ?? 'none'}-${town}`, personKey, town, dueAt: DUE, details });
        }
      }
    }
    // AL-1: one record's alert is open already (raised earlier by hand); one watch settled; one due later.
    const open = { rule: 'CC-4.NOT_REPORTED', recordType: 'correction.subject', recordId: `${group}:open`, personKey: ORDINARY, town: '104' };
    await arm({ ...open, dueAt: DUE });
    await ds.transaction((m) => alerts.raise(m, open));
    const settled = await arm({ rule: 'CC-4.NOT_REPORTED', recordType: 'correction.subject', recordId: `${group}:settled`, personKey: ORDINARY, town: '104', dueAt: DUE });
    await ds.transaction((m) => watches.settle(m, { recordType: 'correction.subject', recordId: `${group}:settled`, personKey: ORDINARY, town: '104' }));
    expect(settled.satisfiedAt).toBeNull();
    await arm({ rule: 'CC-4.NOT_REPORTED', recordType: 'correction.subject', recordId: `${group}:later`, personKey: ORDINARY, town: '104', dueAt: new Date(DUE.getTime() + 48 * HOUR) });
  }

  /** What the group's alerts left: alert rows, audit rows, outbox events, live messages — ids and the group taken out. */
  async function leftBy(group: 'one' | 'set') {
    const rows: Array<Record<string, unknown>> = await ds.query(`SELECT * FROM alerts.alerts WHERE record_id LIKE $1 || ':%' ORDER BY record_id, rule`, [group]);
    const ids = rows.map((r) => r.id as string);
    const alertRows: Array<Record<string, unknown> & { record_id: string }> = rows.map(({ id: _id, created_at: _c, record_id, ...rest }) => ({ ...rest, record_id: shapeOf(record_id as string) }));
    const audit: Array<{ entity_id: string; details: Record<string, unknown> } & Record<string, unknown>> = await h.db.query(
      `SELECT entity_id, at, actor_id, actor_kind, actor_roles, action, entity_type, person_key, towns, outcome, details
         FROM audit.events WHERE action = 'alerts.alert.raise' AND entity_id = ANY($1::text[])`,
      [ids],
    );
    const auditRows = audit
      .map(({ entity_id: _e, details, ...rest }) => ({ ...rest, details: { ...details, recordId: shapeOf(details.recordId as string) } }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const outbox: Array<{ name: string; version: number; payload: Record<string, unknown> }> = await ds.query(
      `SELECT name, version, payload FROM alerts.bus_outbox WHERE name = 'alerts.alert.raised' AND payload->>'recordId' LIKE $1 || ':%'`,
      [group],
    );
    const events = outbox
      .map(({ payload: { alertId: _a, recordId, ...payload }, ...rest }) => ({ ...rest, payload: { ...payload, recordId: shapeOf(recordId as string) } }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const messages = live
      .filter((m) => ids.includes(m.id))
      .map(({ id: _i, ...m }) => m)
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const watchRows: Array<{ record_id: string; fired: boolean; satisfied: boolean }> = await ds.query(
      `SELECT record_id, fired_at IS NOT NULL AS fired, satisfied_at IS NOT NULL AS satisfied FROM alerts.watches WHERE record_id LIKE $1 || ':%'`,
      [group],
    );
    const watchStates = watchRows.map((w) => ({ ...w, record_id: shapeOf(w.record_id) })).sort((a, b) => `${a.record_id}${a.fired}`.localeCompare(`${b.record_id}${b.fired}`));
    return { ids, alertRows, auditRows, events, messages, watchStates };
  }

  it('issue 13 (AL-1, AL-2, AL-4, CC-25): the sweep of many due watches raises each alert exactly once, with the same alert rows, audit rows, outbox events and live messages as raising them one by one', async () => {
    await armGroup('one');
    await armGroup('set');
    clock.set(new Date('2027-03-11T02:00:00Z'));

    // The way before issue 13: each due watch on its own, AlertsService.raise as the check called it, then the check marks it.
    const due: WatchRow[] = await ds.query(
      `SELECT * FROM alerts.watches WHERE record_id LIKE 'one:%' AND satisfied_at IS NULL AND fired_at IS NULL AND due_at <= $1 ORDER BY record_id`,
      [clock.now()],
    );
    for (const w of due) {
      await ds.transaction((m) =>
        alerts.raise(m, {
          rule: w.rule,
          personKey: w.person_key,
          town: w.town,
          recordType: w.record_type,
          recordId: w.record_id,
          details: { ...w.details, dueAt: new Date(w.due_at).toISOString() },
          periodDay: typeof w.details?.periodDay === 'string' ? w.details.periodDay : undefined,
        }),
      );
      expect(await deadlines.check(w.id)).toBe('already-open');
    }

    // The set-based sweep, in batches of 7 (several batches, one of them partial).
    const raised = await deadlines.sweep(7);
    expect(raised).toBe(32);
    expect(await deadlines.sweep(7)).toBe(0);

    const one = await leftBy('one');
    const set = await leftBy('set');
    await eventually(async () => live.filter((m) => set.ids.includes(m.id)).length, (n) => n === 33);
    const oneAfter = await leftBy('one');
    const setAfter = await leftBy('set');
    expect(setAfter.alertRows).toHaveLength(33); // 32 raised + the one open before
    expect(new Set(setAfter.alertRows.map((a) => `${a.rule}/${a.record_id}`)).size).toBe(33);
    expect(setAfter.alertRows).toEqual(oneAfter.alertRows);
    expect(setAfter.auditRows).toHaveLength(33);
    expect(setAfter.auditRows).toEqual(oneAfter.auditRows);
    expect(setAfter.events).toHaveLength(33);
    expect(setAfter.events).toEqual(oneAfter.events);
    expect(setAfter.messages).toHaveLength(33);
    expect(setAfter.messages).toEqual(oneAfter.messages);
    expect(setAfter.watchStates).toEqual(oneAfter.watchStates);
    expect(set.alertRows).toEqual(one.alertRows);

    // The colour rules did apply (so the comparison covers them): AL-4 raised a key person's ORANGE in 104 to RED, CC-25 a BLUE to ORANGE.
    const colour = (recordId: string) => setAfter.alertRows.find((a) => a.record_id === recordId)?.colour;
    expect(colour('0-f-104')).toBe('RED');
    expect(colour('0-f-107')).toBe('ORANGE');
    expect(colour('1-9-104')).toBe('ORANGE');
    expect(colour('1-e-104')).toBe('BLUE');
    expect(colour('2-f-104')).toBe('YELLOW'); // the day counted (1 March) is outside the period
    expect(colour('3-f-104')).toBe('ORANGE'); // 12 March is inside it
    expect(setAfter.alertRows.find((a) => a.record_id === '0-f-104')?.details).toMatchObject({ sensitivePeriod: '全国两会', ruledColour: 'ORANGE', dueAt: DUE.toISOString() });
    expect(setAfter.watchStates.find((w) => w.record_id === 'settled')).toMatchObject({ fired: false, satisfied: true });
    expect(setAfter.watchStates.find((w) => w.record_id === 'later')).toMatchObject({ fired: false, satisfied: false });
  });

  it('issue 13 (AL-1): two sweeps and single checks running at once raise every due watch once — nothing twice, nothing left', async () => {
    const base = clock.now().getTime();
    const armed = [];
    for (let i = 0; i < 60; i++) {
      armed.push(await arm({ rule: 'CC-13.LEAVE_OVERSTAYED', recordType: 'correction.leave', recordId: `race:${i}`, personKey: ORDINARY, town: '107', dueAt: new Date(base + HOUR) }));
    }
    clock.set(new Date(base + 2 * HOUR));
    const outcomes = await Promise.all([
      deadlines.sweep(5),
      deadlines.sweep(5),
      ...armed.slice(0, 10).map((w) => deadlines.check(w.id)),
    ]);
    const [a, b, ...checks] = outcomes as [number, number, ...string[]];
    expect(checks.every((c) => c === 'raised' || c === 'fired')).toBe(true);
    expect(a + b + checks.filter((c) => c === 'raised').length).toBe(60);

    const rows = await ds.query(`SELECT record_id, count(*)::int AS n FROM alerts.alerts WHERE record_id LIKE 'race:%' GROUP BY record_id`);
    expect(rows).toHaveLength(60);
    expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    const events = await ds.query(`SELECT count(*)::int AS n FROM alerts.bus_outbox WHERE name = 'alerts.alert.raised' AND payload->>'recordId' LIKE 'race:%'`);
    expect(events[0].n).toBe(60);
    const audit = await h.db.query(
      `SELECT count(*)::int AS n FROM audit.events WHERE action = 'alerts.alert.raise' AND details->>'recordId' LIKE 'race:%'`,
    );
    expect(audit[0].n).toBe(60);
    const pending = await ds.query(`SELECT count(*)::int AS n FROM alerts.watches WHERE record_id LIKE 'race:%' AND fired_at IS NULL`);
    expect(pending[0].n).toBe(0);
  });
});

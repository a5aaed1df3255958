import { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventEnvelope, EventPayloads, townCodes } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { SupervisionAlertsHandler } from './supervision.handler';

jest.setTimeout(60_000);

const KEY = 'b'.repeat(64);

describe('alerts: CC-9 check-in overdue, CC-10 key-person determination missing, CC-11 sanction threshold (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let app: NestExpressApplication;
  let ds: DataSource;
  let deadlines: DeadlinesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-03-10T02:00:00Z'));

  const deliver: AlertsHarness['deliver'] = (name, payload) => harness.deliver(name, payload);

  const watches = (recordId: string) => ds.query(`SELECT rule, due_at, satisfied_at, fired_at FROM alerts.watches WHERE record_id = $1 ORDER BY rule`, [recordId]);
  const alertsOf = (recordId: string) => ds.query(`SELECT rule, colour, town, person_key FROM alerts.alerts WHERE record_id = $1 ORDER BY rule`, [recordId]);
  const iso = (d: Date | string) => new Date(d).toISOString();

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alsup', clock, keys });
    ({ app, dataSource: ds, deadlines } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const subject = randomUUID();

  it('CC-9: a level change arms YELLOW the day after the next check-in is due and ORANGE at twice the interval', async () => {
    await deliver('correction.supervision.level-changed', { subjectId: subject, personKey: KEY, town: '104', level: 'STRICT', checkInIntervalDays: 7, nextCheckInDue: '2026-03-15' });
    const rows = await eventually(() => watches(subject), (r) => r.length === 2);
    expect(rows.map((r: { rule: string; due_at: Date }) => [r.rule, iso(r.due_at)])).toEqual([
      ['CC-9.CHECKIN_OVERDUE', '2026-03-15T16:00:00.000Z'], // 00:00 Shanghai on 03-16
      ['CC-9.CHECKIN_OVERDUE_LONG', '2026-03-22T16:00:00.000Z'], // 00:00 Shanghai on 03-23
    ]);
  });

  it('CC-9: a check-in re-arms both watches from the new due date; nothing is raised on the old due day', async () => {
    clock.set(new Date('2026-03-14T02:00:00Z'));
    await deliver('correction.checkin.recorded', {
      subjectId: subject,
      personKey: KEY,
      town: '104',
      checkInId: randomUUID(),
      channel: 'FACE_TO_FACE',
      checkedInOn: '2026-03-14',
      checkInIntervalDays: 7,
      nextCheckInDue: '2026-03-21',
    });
    await eventually(() => watches(subject), (r) => iso(r[0].due_at) === '2026-03-21T16:00:00.000Z');
    clock.set(new Date('2026-03-16T02:00:00Z'));
    await deadlines.sweep();
    expect(await alertsOf(subject)).toHaveLength(0);
  });

  it('CC-9: the day after the due day the sweep raises YELLOW; after twice the interval ORANGE as well', async () => {
    clock.set(new Date('2026-03-21T15:59:00Z'));
    await deadlines.sweep();
    expect(await alertsOf(subject)).toHaveLength(0);
    clock.set(new Date('2026-03-21T16:00:00Z'));
    await deadlines.sweep();
    expect(await alertsOf(subject)).toEqual([{ rule: 'CC-9.CHECKIN_OVERDUE', colour: 'YELLOW', town: '104', person_key: KEY }]);
    clock.set(new Date('2026-03-28T16:00:00Z'));
    await deadlines.sweep();
    expect((await alertsOf(subject)).map((a: { rule: string; colour: string }) => [a.rule, a.colour])).toEqual([
      ['CC-9.CHECKIN_OVERDUE', 'YELLOW'],
      ['CC-9.CHECKIN_OVERDUE_LONG', 'ORANGE'],
    ]);
  });

  it('CC-9: an older event delivered late never moves a newer arming back', async () => {
    const before = await watches(subject);
    const late: EventEnvelope<'correction.supervision.level-changed'> = {
      id: randomUUID(),
      name: 'correction.supervision.level-changed',
      version: 1,
      occurredAt: '2026-03-01T00:00:00.000Z',
      producer: 'community-correction',
      payload: { subjectId: subject, personKey: KEY, town: '104', level: 'LENIENT', checkInIntervalDays: 30, nextCheckInDue: '2026-04-30' },
    };
    await harness.queue.add(late.name, late, { jobId: late.id });
    await eventually(() => ds.query(`SELECT 1 FROM alerts.bus_inbox WHERE event_id = $1`, [late.id]), (r) => r.length === 1);
    const after = await watches(subject);
    expect(after.map((r: { due_at: Date }) => iso(r.due_at))).toEqual(before.map((r: { due_at: Date }) => iso(r.due_at)));
  });

  it('CC-10: start-up makes a watch per town for this month and the next', async () => {
    const n = await ds.query(`SELECT count(*)::int AS n FROM alerts.watches WHERE rule = 'CC-10.KEY_PERSONS_MISSING'`);
    expect(n[0].n).toBeGreaterThanOrEqual(townCodes().length * 2);
    const [w] = await ds.query(`SELECT due_at, town FROM alerts.watches WHERE rule = 'CC-10.KEY_PERSONS_MISSING' AND record_id = '104:2026-03'`);
    expect(iso(w.due_at)).toBe('2026-03-31T16:00:00.000Z');
  });

  it('CC-10: a town without a determination by month end gets YELLOW; a town that recorded one does not', async () => {
    clock.set(new Date('2026-04-10T02:00:00Z'));
    await app.get(SupervisionAlertsHandler).ensureKeyPersonWatches();
    await deliver('correction.key-persons.determined', { determinationId: randomUUID(), town: '104', month: '2026-04', version: 1, keyPersonCount: 3 });
    await eventually(() => ds.query(`SELECT satisfied_at FROM alerts.watches WHERE record_id = '104:2026-04'`), (r) => r[0]?.satisfied_at !== null);
    clock.set(new Date('2026-04-30T16:00:00Z'));
    await deadlines.sweep();
    expect(await alertsOf('104:2026-04')).toEqual([]);
    expect(await alertsOf('107:2026-04')).toEqual([{ rule: 'CC-10.KEY_PERSONS_MISSING', colour: 'YELLOW', town: '107', person_key: null }]);
    // The March watches had fallen due too (nobody recorded March).
    expect(await alertsOf('104:2026-03')).toHaveLength(1);
  });

  it('CC-10: a determination that arrives before its watch exists still satisfies it', async () => {
    await deliver('correction.key-persons.determined', { determinationId: randomUUID(), town: '001', month: '2026-07', version: 1, keyPersonCount: 0 });
    const [w] = await eventually(() => ds.query(`SELECT satisfied_at FROM alerts.watches WHERE record_id = '001:2026-07'`), (r) => r[0]?.satisfied_at != null);
    expect(w.satisfied_at).not.toBeNull();
  });

  it('CC-11: sanction threshold reached raises ORANGE once per subject while open (AL-1)', async () => {
    const s = randomUUID();
    await deliver('correction.sanction.threshold-reached', { subjectId: s, personKey: KEY, town: '104', suggested: 'WARNING', lateOrLostContactDays: 11 });
    await eventually(() => alertsOf(s), (r) => r.length === 1);
    await deliver('correction.sanction.threshold-reached', { subjectId: s, personKey: KEY, town: '104', suggested: 'REVOCATION_PROPOSAL', lateOrLostContactDays: 31 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await alertsOf(s)).toEqual([{ rule: 'CC-11.SANCTION_THRESHOLD', colour: 'ORANGE', town: '104', person_key: KEY }]);
  });
});

/**
 * Issue 11 item 2: AL-4 — during a sensitive period covering a key person's town, a correction subject
 * who is a key person must check in daily (a due-date rule); before and after the period nothing is
 * required. The clock is moved across the start and the end. Real PostgreSQL + Redis + BullMQ.
 */
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RiskColour, Role, SentenceType } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys, staffPrincipal } from '@homeward/platform/testing';
import { eventually, untilALockIsAwaited } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { AlertsService } from '../alerts/alerts.service';
import { DAILY_CHECKIN_RULE, DailyCheckInsService } from './daily-checkins.service';
import { PeriodsService } from './periods.service';

jest.setTimeout(60_000);

const KEY_PERSON = 'e'.repeat(64);
const ORDINARY = 'f'.repeat(64);
const KEY_ELSEWHERE = '9'.repeat(64);

describe('AL-4 daily check-in of key persons in a sensitive period (real PostgreSQL + Redis)', () => {
  let harness: AlertsHarness;
  let ds: DataSource;
  let daily: DailyCheckInsService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-02T02:00:00Z')); // 10:00 on 2 March in Shanghai
  const keySubject = randomUUID();
  const ordinarySubject = randomUUID();
  const otherTownSubject = randomUUID();

  const dailyWatches = () =>
    ds.query<Array<{ record_id: string; due_at: Date; satisfied_at: Date | null; fired_at: Date | null }>>(
      `SELECT record_id, due_at, satisfied_at, fired_at FROM alerts.watches WHERE rule = $1 ORDER BY record_id`,
      [DAILY_CHECKIN_RULE],
    );
  const dailyAlerts = () =>
    ds.query<Array<{ record_id: string; colour: string; town: string; person_key: string; details: Record<string, unknown> }>>(
      `SELECT record_id, colour, town, person_key, details FROM alerts.alerts WHERE rule = $1 ORDER BY record_id`,
      [DAILY_CHECKIN_RULE],
    );
  const checkIn = (subjectId: string, personKey: string, town: string, day: string) =>
    harness.deliver('correction.checkin.recorded', {
      subjectId,
      personKey,
      town,
      checkInId: randomUUID(),
      channel: 'APP',
      checkedInOn: day,
      checkInIntervalDays: 7,
      nextCheckInDue: '2027-03-20',
    });

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'al4daily', clock, keys });
    ds = harness.dataSource;
    daily = harness.app.get(DailyCheckInsService);
    // The national sessions for town 104 only, 3 and 4 March.
    await ds.query(
      `INSERT INTO alerts.sensitive_periods (name, starts_on, ends_on, towns, created_by, created_at) VALUES ('全国两会', '2027-03-03', '2027-03-04', '{104}', 'admin.city', now())`,
    );
    for (const [subjectId, personKey, town] of [
      [keySubject, KEY_PERSON, '104'],
      [ordinarySubject, ORDINARY, '104'],
      [otherTownSubject, KEY_ELSEWHERE, '107'],
    ]) {
      await harness.deliver('correction.supervision.level-changed', { subjectId, personKey, town, level: 'STRICT', checkInIntervalDays: 7, nextCheckInDue: '2027-03-09' });
    }
    for (const personKey of [KEY_PERSON, KEY_ELSEWHERE]) {
      await harness.deliver('resettlement.person.released', {
        releaseId: randomUUID(),
        personKey,
        town: null,
        releaseDate: '2027-02-01',
        keyPerson: true,
        pickUpDue: '2027-02-01',
        riskAssessmentDue: '2027-03-03',
        policeHandOverDue: '2027-02-08',
        caseId: null,
      });
    }
    await eventually(
      () => ds.query(`SELECT (SELECT count(*) FROM alerts.checkin_subjects)::int AS s, (SELECT count(*) FROM alerts.person_flags WHERE key_person)::int AS k`),
      (r: Array<{ s: number; k: number }>) => r[0].s === 3 && r[0].k === 2,
    );
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('AL-4: the day before the period no daily check-in is required (no watch, a check-in leaves nothing)', async () => {
    expect(await daily.ensureToday()).toBe(0);
    await checkIn(keySubject, KEY_PERSON, '104', '2027-03-02');
    await eventually(() => ds.query(`SELECT 1 FROM alerts.watches WHERE rule = 'CC-9.CHECKIN_OVERDUE' AND record_id = $1 AND details->>'nextCheckInDue' = '2027-03-20'`, [keySubject]), (r) => r.length === 1);
    expect(await dailyWatches()).toEqual([]);
  });

  it("AL-4: on the period's first day the key person in 104 must check in (due 00:00 the next day); the ordinary subject and the key person in 107 need not", async () => {
    clock.set(new Date('2027-03-02T16:00:00Z')); // 00:00 on 3 March in Shanghai
    expect(await daily.ensureToday()).toBe(1);
    expect(await daily.ensureToday()).toBe(1); // idempotent
    const rows = await dailyWatches();
    expect(rows.map((r) => [r.record_id, r.due_at.toISOString()])).toEqual([[`${keySubject}:2027-03-03`, '2027-03-03T16:00:00.000Z']]);
  });

  it('AL-4: a check-in that day settles the day; nothing is raised the morning after', async () => {
    clock.set(new Date('2027-03-03T04:00:00Z'));
    await checkIn(keySubject, KEY_PERSON, '104', '2027-03-03');
    await eventually(dailyWatches, (r) => r.length === 1 && r[0].satisfied_at !== null);
    clock.set(new Date('2027-03-03T16:00:00Z')); // 00:00 on 4 March
    await harness.deadlines.sweep();
    expect(await dailyAlerts()).toEqual([]);
  });

  it('AL-4: a check-in made before the day was armed still counts (the watch is written settled)', async () => {
    await checkIn(keySubject, KEY_PERSON, '104', '2027-03-04');
    await eventually(dailyWatches, (r) => r.some((w) => w.record_id === `${keySubject}:2027-03-04` && w.satisfied_at !== null));
    await daily.ensureToday();
    const day4 = (await dailyWatches()).find((w) => w.record_id === `${keySubject}:2027-03-04`);
    expect(day4?.satisfied_at).not.toBeNull();
    // Undo, for the next test: the last day of the period is missed.
    await ds.query(`DELETE FROM alerts.watches WHERE rule = $1 AND record_id = $2`, [DAILY_CHECKIN_RULE, `${keySubject}:2027-03-04`]);
    expect(await daily.ensureToday()).toBe(1);
  });

  it("AL-4: the period's last day missed raises AL-4.DAILY_CHECKIN_MISSING at 00:00 the day after, ORANGE (YELLOW raised by the period it falls in), in 104", async () => {
    clock.set(new Date('2027-03-04T15:59:59Z'));
    await harness.deadlines.sweep();
    expect(await dailyAlerts()).toEqual([]);
    clock.set(new Date('2027-03-04T16:00:00Z')); // 00:00 on 5 March: the period is over
    await harness.deadlines.sweep();
    const alerts = await dailyAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ record_id: `${keySubject}:2027-03-04`, colour: 'ORANGE', town: '104', person_key: KEY_PERSON });
    expect(alerts[0].details).toMatchObject({ day: '2027-03-04', sensitivePeriod: '全国两会', ruledColour: 'YELLOW' });
  });

  it('AL-4: the day after the period no daily check-in is required', async () => {
    expect(await daily.ensureToday()).toBe(0);
    clock.set(new Date('2027-03-05T16:00:00Z'));
    await harness.deadlines.sweep();
    expect(await dailyAlerts()).toHaveLength(1);
    expect((await dailyWatches()).map((w) => w.record_id)).toEqual([`${keySubject}:2027-03-03`, `${keySubject}:2027-03-04`]);
  });

  it('AL-4: a discharged key person needs no daily check-in in a later period', async () => {
    await ds.query(`INSERT INTO alerts.sensitive_periods (name, starts_on, ends_on, towns, created_by, created_at) VALUES ('纪念日', '2027-03-06', '2027-03-06', NULL, 'admin.city', now())`);
    await harness.deliver('correction.subject.discharged', {
      subjectId: otherTownSubject,
      personKey: KEY_ELSEWHERE,
      town: '107',
      dischargedOn: '2027-03-05',
      reason: 'EXPIRED',
      correctionEndDate: '2027-03-05',
      sentenceType: SentenceType.PROBATION,
    });
    await eventually(() => ds.query(`SELECT active FROM alerts.checkin_subjects WHERE subject_id = $1`, [otherTownSubject]), (r) => r[0]?.active === false);
    // 6 March: the every-town period covers 104 and 107; only the key person still under correction must check in.
    expect(await daily.ensureToday()).toBe(1);
    expect((await dailyWatches()).map((w) => w.record_id)).toContain(`${keySubject}:2027-03-06`);
  });

  it("AL-4 / CC-10: the town's monthly determination makes a correction subject a key person (one of a past month does not); a later version that no longer lists them ends it, and only correction's word", async () => {
    const determined = randomUUID();
    const pastMonth = randomUUID();
    const DETERMINED_KEY = '7'.repeat(64);
    const PAST_KEY = '8'.repeat(64);
    for (const [subjectId, personKey] of [
      [determined, DETERMINED_KEY],
      [pastMonth, PAST_KEY],
    ]) {
      await harness.deliver('correction.supervision.level-changed', { subjectId, personKey, town: '107', level: 'STRICT', checkInIntervalDays: 7, nextCheckInDue: '2027-03-12' });
    }
    await harness.deliver('correction.key-persons.determined', {
      determinationId: randomUUID(),
      town: '107',
      month: '2027-03',
      version: 1,
      keyPersonCount: 1,
      subjects: [{ subjectId: determined, personKey: DETERMINED_KEY, keyPerson: true }],
    });
    await harness.deliver('correction.key-persons.determined', {
      determinationId: randomUUID(),
      town: '107',
      month: '2027-02',
      version: 3,
      keyPersonCount: 1,
      subjects: [{ subjectId: pastMonth, personKey: PAST_KEY, keyPerson: true }],
    });
    await eventually(
      () => ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM alerts.watches WHERE rule = 'CC-10.KEY_PERSONS_MISSING' AND record_id IN ('107:2027-03', '107:2027-02') AND satisfied_at IS NOT NULL`),
      (r) => r[0].n === 2,
    );
    expect(await ds.query(`SELECT person_key FROM alerts.person_flags WHERE key_person AND person_key IN ($1, $2)`, [DETERMINED_KEY, PAST_KEY])).toEqual([{ person_key: DETERMINED_KEY }]);
    expect(await daily.ensureToday()).toBe(2);
    expect((await dailyWatches()).map((w) => w.record_id)).toEqual(expect.arrayContaining([`${determined}:2027-03-06`, `${keySubject}:2027-03-06`]));

    const raiseOn6th = async () => {
      clock.set(new Date('2027-03-06T02:00:00Z')); // the one-day period of every town
      try {
        const raised = await harness.dataSource.transaction(async (m) =>
          harness.app.get(AlertsService).raise(m, { rule: 'CC-4.NOT_REPORTED', personKey: DETERMINED_KEY, town: '107', recordType: 'Subject', recordId: randomUUID() }),
        );
        return raised!.colour;
      } finally {
        clock.set(new Date('2027-03-02T02:00:00Z'));
      }
    };
    expect(await raiseOn6th()).toBe(RiskColour.RED);

    // 一月一认定: the town's new version for the month no longer lists the subject — no longer a key person
    // of correction, so no daily check-in and no heightened colour; what resettlement said of another
    // person of 107 (a key person released from prison) stands.
    await harness.deliver('correction.key-persons.determined', {
      determinationId: randomUUID(),
      town: '107',
      month: '2027-03',
      version: 2,
      keyPersonCount: 0,
      subjects: [],
    });
    await eventually(
      () => ds.query<Array<{ key_person: boolean }>>(`SELECT key_person FROM alerts.person_flags WHERE person_key = $1`, [DETERMINED_KEY]),
      (r) => r[0]?.key_person === false,
    );
    expect(await ds.query(`SELECT key_person FROM alerts.person_flags WHERE person_key = $1`, [KEY_ELSEWHERE])).toEqual([{ key_person: true }]);
    expect(await raiseOn6th()).toBe(RiskColour.ORANGE);
  });

  it('AL-4: a period the city admin removes asks nothing more of its days: the pending check-in it alone required is settled and nothing is raised; a day another period covers stays required', async () => {
    const [{ id }] = await ds.query<Array<{ id: string }>>(
      `INSERT INTO alerts.sensitive_periods (name, starts_on, ends_on, towns, created_by, created_at) VALUES ('临时管控', '2027-03-20', '2027-03-21', '{104}', 'admin.city', now()) RETURNING id`,
    );
    await ds.query(`INSERT INTO alerts.sensitive_periods (name, starts_on, ends_on, towns, created_by, created_at) VALUES ('纪念日二', '2027-03-21', '2027-03-21', NULL, 'admin.city', now())`);
    const watchOf = async (day: string) => (await dailyWatches()).find((w) => w.record_id === `${keySubject}:${day}`);
    try {
      for (const day of ['2027-03-20', '2027-03-21']) {
        clock.set(new Date(`${day}T02:00:00Z`));
        expect(await daily.ensureToday()).toBeGreaterThanOrEqual(1);
        expect(await watchOf(day)).toMatchObject({ satisfied_at: null, fired_at: null });
      }
      await harness.app.get(PeriodsService).remove(staffPrincipal({ username: 'admin.city', roles: [Role.CITY_ADMIN], towns: ['*'] }), id);
      expect((await watchOf('2027-03-20'))!.satisfied_at).not.toBeNull();
      expect(await watchOf('2027-03-21')).toMatchObject({ satisfied_at: null });
      clock.set(new Date('2027-03-21T16:30:00Z')); // past both days' deadlines (00:00 Shanghai the day after)
      await harness.deadlines.sweep();
      const raised = (await dailyAlerts()).map((a) => a.record_id);
      expect(raised).not.toContain(`${keySubject}:2027-03-20`);
      expect(raised).toContain(`${keySubject}:2027-03-21`);
      const [audit] = await harness.db.query<{ details: Record<string, unknown> }>(`SELECT details FROM audit.events WHERE action = 'alerts.sensitive-period.delete' AND entity_id = $1`, [id]);
      expect(audit.details).toMatchObject({ name: '临时管控', checkInsSettled: 1 });
    } finally {
      clock.set(new Date('2027-03-02T02:00:00Z'));
    }
  });

  it('AL-4 / CC-10: a determination settled while another settlement of the same town holds one of its people waits for it, whatever the payload\'s order, and both complete — no deadlock', async () => {
    const periods = harness.app.get(PeriodsService);
    const [first, second] = ['1'.repeat(64), '2'.repeat(64)];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const holds = new Promise<void>((resolve) => (holding = resolve));
    // another settlement of town 104, person by person in key order, has written `first`
    const other = ds.transaction(async (m) => {
      await periods.noteKeyPerson(m, first, true, 'correction', '104');
      holding();
      await held;
      await periods.noteKeyPerson(m, second, true, 'correction', '104');
    });
    await holds;
    // this one lists `second` before `first`
    const settled = ds.transaction((m) => periods.settleDetermination(m, '104', [{ personKey: second, keyPerson: true }, { personKey: first, keyPerson: true }]));
    await untilALockIsAwaited(ds);
    release();
    await expect(other).resolves.toBeUndefined();
    await expect(settled).resolves.toEqual(expect.any(Array));
    const flags = await ds.query(`SELECT person_key, key_person FROM alerts.person_flags WHERE person_key = ANY($1::char(64)[]) ORDER BY person_key`, [[first, second]]);
    expect(flags).toEqual([{ person_key: first, key_person: true }, { person_key: second, key_person: true }]);
  });
});

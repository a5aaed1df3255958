import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually as eventuallyWithin } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { DeadlinesService } from '../deadlines/deadlines.service';

jest.setTimeout(90_000);

const KEY = 'e'.repeat(64);

/** AL-3 aftercare rules (issue 10), events delivered through BullMQ (real PostgreSQL + Redis). */
describe('alerts: AC-2 contact not made, AC-3 follow-ups missing, AC-4 relapse (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let ds: DataSource;
  let deadlines: DeadlinesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-03-01T02:00:00Z'));
  const eventually = <T>(probe: () => Promise<T>, ok: (v: T) => boolean) => eventuallyWithin(probe, ok, { timeoutMs: 15_000 });
  const alertsLike = (pattern: string): Promise<Array<{ rule: string; colour: string; town: string; record_id: string }>> =>
    ds.query(`SELECT rule, colour, town, record_id FROM alerts.alerts WHERE record_id LIKE $1 ORDER BY raised_at, rule, record_id`, [pattern]);
  const watchesLike = (pattern: string): Promise<Array<{ rule: string; record_id: string; satisfied: boolean }>> =>
    ds.query(`SELECT rule, record_id, satisfied_at IS NOT NULL AS satisfied FROM alerts.watches WHERE record_id LIKE $1 ORDER BY rule, record_id`, [pattern]);
  const sweepAt = async (iso: string) => {
    clock.set(new Date(iso));
    return deadlines.sweep();
  };
  const notice = (caseId: string, town: string | null) => ({
    noticeId: randomUUID(),
    caseId,
    personKey: KEY,
    town,
    releaseDate: '2027-03-10',
    keyPerson: false,
    late: false,
    contactDue: '2027-03-17',
  });

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alac', clock, keys });
    ({ dataSource: ds, deadlines } = harness);
  });
  afterAll(async () => harness?.close());

  it('AC-2: no contact within 7 days of release is ORANGE the day after; an enrolment settles it; the city queue waits for its station', async () => {
    const [late, contacted, queued] = [randomUUID(), randomUUID(), randomUUID()];
    await harness.deliver('aftercare.notice.received', notice(late, '104'));
    await harness.deliver('aftercare.notice.received', notice(contacted, '104'));
    await harness.deliver('aftercare.notice.received', notice(queued, null));
    await eventually(() => watchesLike(contacted), (w) => w.length === 1);
    await harness.deliver('aftercare.subject.enrolled', { caseId: contacted, personKey: KEY, town: '104', contactedOn: '2027-03-12', inTime: true, followUpsUntil: '2027-06-30' });
    await eventually(() => watchesLike(contacted), (w) => w.find((x) => x.rule === 'AC-2.CONTACT_NOT_MADE')?.satisfied === true);
    expect(await watchesLike(queued)).toEqual([]);
    await harness.deliver('aftercare.notice.town-assigned', { ...notice(queued, '001'), town: '001' });
    await eventually(() => watchesLike(queued), (w) => w.length === 1);

    await sweepAt('2027-03-17T15:59:00Z'); // 2027-03-17 23:59 in Jiangyin: still in time
    expect(await alertsLike(late)).toEqual([]);
    await sweepAt('2027-03-17T16:00:00Z'); // 2027-03-18 00:00
    const [orange] = await eventually(() => alertsLike(late), (a) => a.length === 1);
    expect(orange).toMatchObject({ rule: 'AC-2.CONTACT_NOT_MADE', colour: 'ORANGE', town: '104' });
    expect(await alertsLike(contacted)).toEqual([]);
    expect((await eventually(() => alertsLike(queued), (a) => a.length === 1)).map((a) => a.town)).toEqual(['001']);
  });

  it('AC-3: a month without a PHONE follow-up and a quarter without a visit are YELLOW on the first working day after; done ones are not', async () => {
    const caseId = randomUUID();
    await harness.deliver('aftercare.subject.enrolled', { caseId, personKey: KEY, town: '104', contactedOn: '2027-03-12', inTime: true, followUpsUntil: '2027-06-30' });
    const armed = await eventually(() => watchesLike(`${caseId}:%`), (w) => w.length === 6);
    expect(armed.map((w) => [w.rule, w.record_id.slice(37)])).toEqual([
      ['AC-3.PHONE_MISSING', '2027-03'],
      ['AC-3.PHONE_MISSING', '2027-04'],
      ['AC-3.PHONE_MISSING', '2027-05'],
      ['AC-3.PHONE_MISSING', '2027-06'],
      ['AC-3.VISIT_MISSING', '2027-Q1'],
      ['AC-3.VISIT_MISSING', '2027-Q2'],
    ]);
    const followUp = (kind: string, heldOn: string, period: string) =>
      harness.deliver('aftercare.follow-up.recorded', { followUpId: randomUUID(), caseId, personKey: KEY, town: '104', kind, heldOn, period, drugTest: 'NEGATIVE' });
    await followUp('PHONE', '2027-03-20', '2027-03');
    await followUp('PHONE', '2027-04-20', '2027-04');
    await followUp('FACE_TO_FACE', '2027-03-25', '2027-Q1');
    await eventually(() => watchesLike(`${caseId}:%`), (w) => w.filter((x) => x.satisfied).length === 3);

    // May is missed. 2027-05-31 is a Monday, so the alert comes on Tuesday 06-01 (00:00 Jiangyin).
    await sweepAt('2027-05-31T15:59:00Z');
    expect(await alertsLike(`${caseId}%`)).toEqual([]);
    await sweepAt('2027-05-31T16:00:00Z');
    const [may] = await eventually(() => alertsLike(`${caseId}%`), (a) => a.length === 1);
    expect(may).toMatchObject({ rule: 'AC-3.PHONE_MISSING', colour: 'YELLOW', record_id: `${caseId}:2027-05` });

    // June phoned; Q2 has no visit: 2027-06-30 is a Wednesday → YELLOW on Thursday 07-01.
    await followUp('PHONE', '2027-06-10', '2027-06');
    await eventually(() => watchesLike(`${caseId}:2027-06`), (w) => w[0]?.satisfied === true);
    await sweepAt('2027-06-30T16:00:00Z');
    const all = await eventually(() => alertsLike(`${caseId}%`), (a) => a.length === 2);
    expect(all.map((a) => [a.rule, a.record_id.slice(37)])).toEqual([
      ['AC-3.PHONE_MISSING', '2027-05'],
      ['AC-3.VISIT_MISSING', '2027-Q2'],
    ]);
  });

  it('AC-3 / AC-5: a month ending on a holiday waits for the next working day; a closed case owes nothing more', async () => {
    const caseId = randomUUID();
    clock.set('2027-09-20T02:00:00Z');
    await harness.deliver('aftercare.subject.enrolled', { caseId, personKey: KEY, town: '104', contactedOn: '2027-09-20', inTime: true, followUpsUntil: '2027-11-30' });
    await eventually(() => watchesLike(`${caseId}:%`), (w) => w.length === 5);
    // September ends on a Thursday; National Day (10-01 … 10-03, the provisional 2027 table) and the weekend follow: the first working day after is Monday 10-04.
    await sweepAt('2027-10-02T16:00:00Z');
    expect(await alertsLike(`${caseId}%`)).toEqual([]);
    await sweepAt('2027-10-03T16:00:00Z');
    const fired = await eventually(() => alertsLike(`${caseId}%`), (a) => a.length === 2);
    expect(fired.map((a) => [a.rule, a.record_id.slice(37)])).toEqual([
      ['AC-3.PHONE_MISSING', '2027-09'],
      ['AC-3.VISIT_MISSING', '2027-Q3'],
    ]);
    // Closed on 10-09: October, November and Q4 are no longer owed.
    await harness.deliver('aftercare.case.closed', { caseId, personKey: KEY, town: '104', closedOn: '2027-10-09', reason: 'MOVED' });
    await eventually(() => watchesLike(`${caseId}:%`), (w) => w.filter((x) => x.satisfied).length === 3);
    await sweepAt('2027-12-31T16:00:00Z');
    expect(await alertsLike(`${caseId}%`)).toHaveLength(2);
  });

  it('AC-4: a relapse is ORANGE at once', async () => {
    const caseId = randomUUID();
    await harness.deliver('aftercare.relapse.marked', { caseId, personKey: KEY, town: '104', relapsedOn: '2027-05-02', source: 'POLICE_TEST' });
    const [orange] = await eventually(() => alertsLike(`${caseId}%`), (a) => a.length === 1);
    expect(orange).toMatchObject({ rule: 'AC-4.RELAPSE', colour: 'ORANGE', town: '104', record_id: `${caseId}:2027-05-02` });
  });
});

import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually as eventuallyWithin } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { PICKED_UP_NOTE } from './resettlement.handler';

jest.setTimeout(90_000);

const KEY = 'd'.repeat(64);

/** AL-3 resettlement rules (issue 9 item 11), events delivered through BullMQ (real PostgreSQL + Redis). */
describe('alerts: RS-2 notice unverified, RS-5 key person not picked up, RS-8 re-offence (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let ds: DataSource;
  let deadlines: DeadlinesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-02-10T02:00:00Z'));
  const eventually = <T>(probe: () => Promise<T>, ok: (v: T) => boolean) => eventuallyWithin(probe, ok, { timeoutMs: 15_000 });
  const alertsOf = (recordId: string): Promise<Array<{ rule: string; colour: string; town: string; state: string; note: string | null }>> =>
    ds.query(`SELECT rule, colour, town, state, note FROM alerts.alerts WHERE record_id = $1 ORDER BY raised_at, rule`, [recordId]);
  const watchesOf = (recordId: string): Promise<Array<{ rule: string; satisfied: boolean }>> =>
    ds.query(`SELECT rule, satisfied_at IS NOT NULL AS satisfied FROM alerts.watches WHERE record_id = $1`, [recordId]);
  const sweepAt = async (iso: string) => {
    clock.set(new Date(iso));
    return deadlines.sweep();
  };

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alres', clock, keys });
    ({ dataSource: ds, deadlines } = harness);
  });
  afterAll(async () => harness?.close());

  it('RS-2: a notice not verified and answered 7 days before release is YELLOW on that day; a sent receipt settles it; the city queue waits for its town', async () => {
    const [late, done, queued] = [randomUUID(), randomUUID(), randomUUID()];
    const notice = (noticeId: string, town: string | null) => ({ noticeId, personKey: KEY, town, expectedReleaseDate: '2027-03-01', keyPerson: false, verificationDue: '2027-02-22' });
    await harness.deliver('resettlement.notice.received', notice(late, '104'));
    await harness.deliver('resettlement.notice.received', notice(done, '104'));
    await harness.deliver('resettlement.notice.received', notice(queued, null));
    await eventually(() => watchesOf(done), (w) => w.length === 1);
    await harness.deliver('resettlement.receipt.sent', { noticeId: done, personKey: KEY, town: '104', sentOn: '2027-02-15' });
    await eventually(() => watchesOf(done), (w) => w[0]?.satisfied === true);
    expect(await watchesOf(queued)).toEqual([]);
    await harness.deliver('resettlement.notice.town-assigned', { ...notice(queued, '001'), town: '001' });
    await eventually(() => watchesOf(queued), (w) => w.length === 1);

    await sweepAt('2027-02-21T15:59:00Z'); // 2027-02-21 23:59 in Jiangyin: not yet
    expect(await alertsOf(late)).toEqual([]);
    await sweepAt('2027-02-21T16:00:00Z'); // 2027-02-22 00:00
    const [alert] = await eventually(() => alertsOf(late), (a) => a.length === 1);
    expect(alert).toMatchObject({ rule: 'RS-2.NOTICE_UNVERIFIED', colour: 'YELLOW', town: '104' });
    expect(await alertsOf(done)).toEqual([]);
    expect((await alertsOf(queued)).map((a) => a.town)).toEqual(['001']);
  });

  it('RS-5: a key person released without a pick-up record is RED the day after the pick-up day; recording the pick-up resolves it', async () => {
    const [key, general] = [randomUUID(), randomUUID()];
    const released = (releaseId: string, keyPerson: boolean) => ({
      releaseId,
      personKey: KEY,
      town: '104',
      releaseDate: '2027-03-01',
      keyPerson,
      pickUpDue: '2027-03-02',
      riskAssessmentDue: '2027-03-31',
      policeHandOverDue: '2027-03-08',
      caseId: randomUUID(),
    });
    await harness.deliver('resettlement.person.released', released(key, true));
    await harness.deliver('resettlement.person.released', released(general, false));
    // Key person: pick-up, police hand-over, risk assessment; general: the risk assessment only.
    expect((await eventually(() => watchesOf(key), (w) => w.length === 3)).map((w) => w.rule).sort()).toEqual([
      'RS-5.NOT_PICKED_UP',
      'RS-6.POLICE_HANDOVER_LATE',
      'RS-6.RISK_ASSESSMENT_LATE',
    ]);
    expect((await eventually(() => watchesOf(general), (w) => w.length === 1)).map((w) => w.rule)).toEqual(['RS-6.RISK_ASSESSMENT_LATE']);
    await sweepAt('2027-03-02T15:59:00Z');
    expect(await alertsOf(key)).toEqual([]);
    await sweepAt('2027-03-02T16:00:00Z');
    const [red] = await eventually(() => alertsOf(key), (a) => a.length === 1);
    expect(red).toMatchObject({ rule: 'RS-5.NOT_PICKED_UP', colour: 'RED', state: 'OPEN' });
    expect(await alertsOf(general)).toEqual([]);

    await harness.deliver('resettlement.pickup.recorded', { releaseId: key, personKey: KEY, town: '104', pickedUpOn: '2027-03-03' });
    const [settled] = await eventually(() => alertsOf(key), (a) => a[0]?.state === 'RESOLVED');
    expect(settled.note).toBe(PICKED_UP_NOTE);

    // RS-6: handed over on time settles the ORANGE rule; no assessment by 03-31 → YELLOW on 04-01.
    await harness.deliver('resettlement.police.handed-over', { releaseId: key, personKey: KEY, town: '104', handedOverOn: '2027-03-05', onTime: true });
    await eventually(() => watchesOf(key), (w) => w.find((x) => x.rule === 'RS-6.POLICE_HANDOVER_LATE')?.satisfied === true);
    await harness.deliver('resettlement.risk.assessed', { releaseId: general, personKey: KEY, town: '104', level: 'LOW', assessedOn: '2027-03-20', onTime: true });
    await eventually(() => watchesOf(general), (w) => w[0]?.satisfied === true);
    await sweepAt('2027-03-31T16:00:00Z');
    const late = await eventually(() => alertsOf(key), (a) => a.length === 2);
    expect(late.map((a) => [a.rule, a.colour])).toEqual([
      ['RS-5.NOT_PICKED_UP', 'RED'],
      ['RS-6.RISK_ASSESSMENT_LATE', 'YELLOW'],
    ]);
    expect(await alertsOf(general)).toEqual([]);
  });

  it('RS-8: a matched re-offence is RED at once; an unmatched one raises nothing until it is matched', async () => {
    const [matched, unmatched] = [randomUUID(), randomUUID()];
    const report = (reportId: string, isMatched: boolean) => ({
      reportId,
      personKey: KEY,
      town: isMatched ? '104' : null,
      offenceDate: '2027-04-01',
      releaseId: isMatched ? randomUUID() : null,
      caseId: null,
      matched: isMatched,
    });
    await harness.deliver('resettlement.reoffence.reported', report(matched, true));
    await harness.deliver('resettlement.reoffence.reported', report(unmatched, false));
    const [red] = await eventually(() => alertsOf(matched), (a) => a.length === 1);
    expect(red).toMatchObject({ rule: 'RS-8.REOFFENCE', colour: 'RED', town: '104' });
    expect(await alertsOf(unmatched)).toEqual([]);
    await harness.deliver('resettlement.reoffence.reported', report(unmatched, true));
    await eventually(() => alertsOf(unmatched), (a) => a.length === 1);
  });
});

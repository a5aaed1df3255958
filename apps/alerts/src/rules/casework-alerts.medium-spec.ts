import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventPayloads } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually as eventuallyWithin } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { DeadlinesService } from '../deadlines/deadlines.service';

jest.setTimeout(90_000);

const KEY = 'b'.repeat(64);

describe('alerts: CC-12 monitoring, CC-13 leave, CC-14 assessments, CC-16 procuratorate replies (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let ds: DataSource;
  let deadlines: DeadlinesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));

  const deliver: AlertsHarness['deliver'] = (name, payload) => harness.deliver(name, payload);

  const eventually = <T>(probe: () => Promise<T>, ok: (v: T) => boolean) => eventuallyWithin(probe, ok, { timeoutMs: 15_000 });

  const alertsOf = (recordId: string): Promise<Array<{ rule: string; colour: string; town: string }>> =>
    ds.query(`SELECT rule, colour, town FROM alerts.alerts WHERE record_id = $1 ORDER BY raised_at, rule`, [recordId]);
  const watchCount = async (recordIds: string[]) =>
    Number((await ds.query(`SELECT count(*) AS n FROM alerts.watches WHERE record_id = ANY($1)`, [recordIds]))[0].n);
  const sweepAt = async (iso: string) => {
    clock.set(new Date(iso));
    return deadlines.sweep();
  };

  const base = (subjectId = randomUUID()) => ({ subjectId, personKey: KEY, town: '104' });
  const [m1, m2, m3, m4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const [l1, l2, l3] = [randomUUID(), randomUUID(), randomUUID()];
  const [i1, i2, i3] = [randomUUID(), randomUUID(), randomUUID()];
  const [n1, n2] = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alcase', clock, keys });
    ({ dataSource: ds, deadlines } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('CC-12: a breach is ORANGE, a key person\'s breach RED; a silent device ORANGE (event rules)', async () => {
    await deliver('correction.location.breach', { ...base(), monitoringId: m1, at: '2026-11-20T01:00:00.000Z', keyPerson: false });
    await deliver('correction.location.breach', { ...base(), monitoringId: m4, at: '2026-11-20T01:00:00.000Z', keyPerson: true });
    await deliver('correction.device.silent', { ...base(), monitoringId: m1, lastFixAt: null, silentSince: '2026-11-20T02:00:00.000Z' });
    const onM1 = await eventually(() => alertsOf(m1), (r) => r.length === 2);
    expect(onM1.map((a) => [a.rule, a.colour]).sort()).toEqual([
      ['CC-12.DEVICE_SILENT', 'ORANGE'],
      ['CC-12.LOCATION_BREACH', 'ORANGE'],
    ]);
    const [red] = await eventually(() => alertsOf(m4), (r) => r.length === 1);
    expect(red).toMatchObject({ rule: 'CC-12.LOCATION_BREACH', colour: 'RED', town: '104' });
  });

  it('the clocks start from the events (and a settling event written first still settles)', async () => {
    const monitoring = (id: string, endDate: string, warnOn: string) => ({ ...base(), monitoringId: id, startDate: '2026-11-20', endDate, warnOn });
    await deliver('correction.monitoring.approved', monitoring(m1, '2026-12-18', '2026-12-11'));
    await deliver('correction.monitoring.approved', monitoring(m2, '2026-12-18', '2026-12-11'));
    await deliver('correction.monitoring.approved', monitoring(m3, '2026-12-18', '2026-12-11'));
    const leave = (id: string, kind = 'LEAVE') => ({ ...base(), leaveId: id, kind, startDate: '2026-11-23', endDate: '2026-11-29' });
    await deliver('correction.leave.approved', leave(l1));
    await deliver('correction.leave.approved', leave(l2));
    await deliver('correction.leave.approved', leave(l3, 'RESIDENCE_CHANGE'));
    const inv = (id: string) => ({ investigationId: id, personKey: KEY, town: '104', dueDate: '2026-12-04', remindOn: '2026-12-02' });
    for (const id of [i1, i2, i3]) await deliver('correction.investigation.received', inv(id));
    const notice = (id: string) => ({ ...base(), noticeId: id, replyDue: '2026-12-05', remindOn: '2026-12-02' });
    for (const id of [n1, n2]) await deliver('correction.procuratorate-notice.received', notice(id));
    await eventually(() => watchCount([m1, m2, m3, l1, l2, l3, i1, i2, i3, n1, n2]), (n) => n === 2 * 3 + 2 + 2 * 3 + 2 * 2);

    await deliver('correction.monitoring.extended', { ...monitoring(m2, '2027-01-15', '2027-01-08'), previousEndDate: '2026-12-18' });
    await deliver('correction.monitoring.ended', { ...base(), monitoringId: m3, endedOn: '2026-11-25' });
    await deliver('correction.leave.returned', { ...base(), leaveId: l2, returnedOn: '2026-11-28' });
    await deliver('correction.investigation.completed', { investigationId: i2, personKey: KEY, town: '104', completedOn: '2026-11-30', onTime: true });
    await deliver('correction.investigation.rescheduled', { investigationId: i3, personKey: KEY, town: '107', dueDate: '2026-12-11', remindOn: '2026-12-09' });
    await deliver('correction.procuratorate-notice.replied', { ...base(), noticeId: n2, repliedOn: '2026-11-30' });
    // A completion that arrives before its commission (out of order) still settles it.
    const early = randomUUID();
    await deliver('correction.investigation.completed', { investigationId: early, personKey: KEY, town: '104', completedOn: '2026-11-20', onTime: true });
    await eventually(() => ds.query(`SELECT 1 FROM alerts.watches WHERE record_id = $1`, [early]), (r) => r.length === 2);
    await deliver('correction.investigation.received', inv(early));
    await eventually(
      () => ds.query(`SELECT count(*)::int AS n FROM alerts.watches WHERE satisfied_at IS NOT NULL AND record_id = ANY($1)`, [[m3, l2, i2, n2, early]]),
      (r) => r[0].n === 2 + 1 + 2 + 2 + 2,
    );
    await eventually(() => ds.query(`SELECT due_at FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-14.ASSESSMENT_OVERDUE'`, [i3]), (r) => new Date(r[0].due_at).toISOString() === '2026-12-11T16:00:00.000Z');
    await eventually(() => ds.query(`SELECT due_at FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-12.MONITORING_EXPIRED'`, [m2]), (r) => new Date(r[0].due_at).toISOString() === '2027-01-15T16:00:00.000Z');
  });

  it('CC-13: not back by the end date → ORANGE "leave overstayed" the next day; a return or a change of residence raises nothing', async () => {
    await sweepAt('2026-11-29T15:59:59Z');
    expect(await alertsOf(l1)).toHaveLength(0);
    await sweepAt('2026-11-29T16:00:00Z');
    expect(await alertsOf(l1)).toEqual([{ rule: 'CC-13.LEAVE_OVERSTAYED', colour: 'ORANGE', town: '104' }]);
  });

  it('CC-14 / CC-16: YELLOW on the reminder day (2 working days / 3 days before), ORANGE the day after the due date', async () => {
    await sweepAt('2026-12-01T15:59:59Z');
    expect(await alertsOf(i1)).toHaveLength(0);
    await sweepAt('2026-12-01T16:00:00Z');
    expect(await alertsOf(i1)).toEqual([{ rule: 'CC-14.ASSESSMENT_DUE_SOON', colour: 'YELLOW', town: '104' }]);
    expect(await alertsOf(n1)).toEqual([{ rule: 'CC-16.REPLY_DUE', colour: 'YELLOW', town: '104' }]);
    expect(await alertsOf(i3)).toHaveLength(0);
    await sweepAt('2026-12-04T16:00:00Z');
    expect((await alertsOf(i1)).map((a) => [a.rule, a.colour])).toContainEqual(['CC-14.ASSESSMENT_OVERDUE', 'ORANGE']);
    expect((await alertsOf(n1)).map((a) => a.rule)).toEqual(['CC-16.REPLY_DUE']);
    await sweepAt('2026-12-05T16:00:00Z');
    expect((await alertsOf(n1)).map((a) => [a.rule, a.colour])).toContainEqual(['CC-16.REPLY_OVERDUE', 'ORANGE']);
  });

  it('CC-14: an extended and reassigned assessment is reminded on its new date, in its new town', async () => {
    await sweepAt('2026-12-08T16:00:00Z');
    expect(await alertsOf(i3)).toEqual([{ rule: 'CC-14.ASSESSMENT_DUE_SOON', colour: 'YELLOW', town: '107' }]);
  });

  it('CC-12: BLUE 5 working days before the end, YELLOW the day after; an extension moves both', async () => {
    await sweepAt('2026-12-10T16:00:00Z');
    expect((await alertsOf(m1)).map((a) => [a.rule, a.colour])).toContainEqual(['CC-12.MONITORING_EXPIRING', 'BLUE']);
    expect(await alertsOf(m2)).toHaveLength(0);
    await sweepAt('2026-12-18T16:00:00Z');
    expect((await alertsOf(m1)).map((a) => [a.rule, a.colour])).toContainEqual(['CC-12.MONITORING_EXPIRED', 'YELLOW']);
    expect(await alertsOf(m2)).toHaveLength(0);
    await sweepAt('2027-01-07T16:00:00Z');
    expect(await alertsOf(m2)).toEqual([{ rule: 'CC-12.MONITORING_EXPIRING', colour: 'BLUE', town: '104' }]);
  });

  it('settled records never alert: lifted monitoring, returned leave, completed assessment, replied notice', async () => {
    await sweepAt('2027-03-01T00:00:00Z');
    for (const id of [m3, l2, l3, i2, n2]) expect(await alertsOf(id)).toEqual([]);
  });
});

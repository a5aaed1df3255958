import { DataSource } from 'typeorm';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually as eventuallyWithin } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';

jest.setTimeout(90_000);

/** AL-3 / AC-6 the Q4 success-case reminder, events delivered through BullMQ (real PostgreSQL + Redis). */
describe('alerts: AC-6 success cases short in Q4 (BLUE) (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-10-01T01:00:00Z'));
  const eventually = <T>(probe: () => Promise<T>, ok: (v: T) => boolean) => eventuallyWithin(probe, ok, { timeoutMs: 15_000 });
  const stationAlerts = (recordId: string): Promise<Array<{ rule: string; colour: string; town: string; person_key: string | null; state: string; note: string | null; details: Record<string, unknown> }>> =>
    ds.query(`SELECT rule, colour, town, person_key, state, note, details FROM alerts.alerts WHERE record_type = 'aftercare.station-year' AND record_id = $1 ORDER BY raised_at`, [recordId]);

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alac6', clock, keys });
    ({ dataSource: ds } = harness);
  });
  afterAll(async () => harness?.close());

  it('AC-6: a station reported short is one BLUE alert about the station (no person), a repeat raises no second one', async () => {
    await harness.deliver('aftercare.success-cases.short', { town: '104', year: 2027, subjects: 12, successCases: 1, required: 2 });
    const [blue] = await eventually(() => stationAlerts('104:2027'), (a) => a.length === 1);
    expect(blue).toMatchObject({ rule: 'AC-6.SUCCESS_CASES_SHORT', colour: 'BLUE', town: '104', person_key: null, state: 'OPEN' });
    expect(blue.details).toMatchObject({ year: 2027, subjects: 12, successCases: 1, required: 2 });
    await harness.deliver('aftercare.success-cases.short', { town: '104', year: 2027, subjects: 12, successCases: 1, required: 2 });
    await harness.deliver('aftercare.success-cases.short', { town: '107', year: 2027, subjects: 3, successCases: 0, required: 1 });
    await eventually(() => stationAlerts('107:2027'), (a) => a.length === 1);
    expect(await stationAlerts('104:2027')).toHaveLength(1);
  });

  it('AC-6: the station catching up resolves its reminder with a note; another station\'s stays open', async () => {
    await harness.deliver('aftercare.success-cases.met', { town: '104', year: 2027, successCases: 2, required: 2 });
    const [resolved] = await eventually(() => stationAlerts('104:2027'), (a) => a[0]?.state === 'RESOLVED');
    expect(resolved.note).toMatch(/已培树成功戒毒典型2例/);
    expect((await stationAlerts('107:2027'))[0].state).toBe('OPEN');
  });
});

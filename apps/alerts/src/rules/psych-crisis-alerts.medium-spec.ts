import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually as eventuallyWithin, testCast } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';

jest.setTimeout(90_000);

const KEY = 'c'.repeat(64);

describe('alerts: CC-27 psychological crisis (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let ds: DataSource;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-08-03T02:00:00Z'));
  const { officer104, officer107 } = testCast(keys, clock);

  const eventually = <T>(probe: () => Promise<T>, ok: (v: T) => boolean) => eventuallyWithin(probe, ok, { timeoutMs: 15_000 });
  const alertsOf = (recordId: string): Promise<Array<{ rule: string; colour: string; state: string; town: string; resolved_by: string | null }>> =>
    ds.query(`SELECT rule, colour, state, town, resolved_by FROM alerts.alerts WHERE record_id = $1 ORDER BY raised_at`, [recordId]);
  const flag = (recordId: string, flagged: boolean, flagVersion: number, subjectId = randomUUID()) =>
    harness.deliver('correction.psych-service.crisis-flag', { recordId, subjectId, personKey: KEY, town: '104', flagged, flagVersion, on: '2026-08-03' });
  const applied = async (recordId: string) => (await ds.query(`SELECT flag_version FROM alerts.psych_crisis_flags WHERE record_id = $1`, [recordId]))[0]?.flag_version as number | undefined;
  const openAlerts = async (token: string) => {
    const res = await request(harness.app.getHttpServer())
      .post('/graphql')
      .set('authorization', `Bearer ${token}`)
      .send({ query: `query { alerts(state: OPEN) { edges { node { rule ruleLabel colour recordId } } } }` })
      .expect(200);
    expect(res.body.errors).toBeUndefined();
    return (res.body.data.alerts.edges as Array<{ node: { rule: string; ruleLabel: string; colour: string; recordId: string } }>).map((e) => e.node).filter((a) => a.rule === 'CC-27.PSYCH_CRISIS');
  };

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alpsych', clock, keys });
    ds = harness.dataSource;
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('CC-27: the crisis flag set → an ORANGE "心理危机" alert the town sees; cleared → the alert is settled; flagged again → a new alert', async () => {
    const record = randomUUID();
    await flag(record, true, 2);
    const [raised] = await eventually(() => alertsOf(record), (r) => r.length === 1);
    expect(raised).toMatchObject({ rule: 'CC-27.PSYCH_CRISIS', colour: 'ORANGE', state: 'OPEN', town: '104' });
    expect(await openAlerts(officer104)).toEqual([{ rule: 'CC-27.PSYCH_CRISIS', ruleLabel: '心理危机', colour: 'ORANGE', recordId: record }]);
    expect(await openAlerts(officer107)).toEqual([]);

    // the same flag delivered twice raises one alert (AL-1, and the older-or-equal version is ignored)
    await flag(record, true, 2);
    await flag(record, false, 3);
    await eventually(() => alertsOf(record), (r) => r.length === 1 && r[0].state === 'RESOLVED');
    expect((await alertsOf(record))[0].resolved_by).toBe('system:condition-met');
    expect(await openAlerts(officer104)).toEqual([]);

    await flag(record, true, 4);
    const again = await eventually(() => alertsOf(record), (r) => r.length === 2);
    expect(again.map((a) => [a.state, a.colour])).toEqual([
      ['RESOLVED', 'ORANGE'],
      ['OPEN', 'ORANGE'],
    ]);
  });

  it('CC-27: order-tolerant — a clearing delivered before the flag it clears leaves no alert open', async () => {
    const record = randomUUID();
    await flag(record, false, 3);
    await eventually(() => applied(record), (v) => v === 3);
    const late = await flag(record, true, 2); // older: set before it was cleared, delivered late
    await eventually(() => harness.db.query(`SELECT 1 FROM alerts.bus_inbox WHERE event_id = $1`, [late]), (rows) => rows.length === 1);
    expect(await applied(record)).toBe(3);
    expect(await alertsOf(record)).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { townCodes } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually as eventuallyWithin } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { DeadlinesService } from '../deadlines/deadlines.service';
import { OUTREACH_RECORDED_NOTE, ResettlementAlertsHandler } from './resettlement.handler';

jest.setTimeout(90_000);

/** AL-3 / RS-9 prison outreach missing in a quarter (BLUE), across a quarter end with the movable clock (real PostgreSQL + Redis + BullMQ). */
describe('alerts: RS-9 prison outreach missing in a quarter (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let ds: DataSource;
  let deadlines: DeadlinesService;
  let handler: ResettlementAlertsHandler;
  const keys = new TestKeys();
  // 2026-09-20 10:00 in Jiangyin: the third quarter, ten days before its end.
  const clock = new FixedClock(new Date('2026-09-20T02:00:00Z'));
  const eventually = <T>(probe: () => Promise<T>, ok: (v: T) => boolean) => eventuallyWithin(probe, ok, { timeoutMs: 15_000 });
  const alertsOf = (recordId: string): Promise<Array<{ rule: string; colour: string; town: string; state: string; person_key: string | null; note: string | null }>> =>
    ds.query(`SELECT rule, colour, town, state, person_key, note FROM alerts.alerts WHERE record_type = 'resettlement.town-quarter' AND record_id = $1 ORDER BY raised_at`, [recordId]);
  const watchOf = async (recordId: string): Promise<{ due_at: Date; satisfied: boolean; fired: boolean } | undefined> =>
    (
      await ds.query(`SELECT due_at, satisfied_at IS NOT NULL AS satisfied, fired_at IS NOT NULL AS fired FROM alerts.watches WHERE rule = 'RS-9.OUTREACH_MISSING' AND record_id = $1`, [
        recordId,
      ])
    )[0];
  const visited = (town: string, visitedOn: string, quarter: string) => harness.deliver('resettlement.outreach.visited', { visitId: randomUUID(), town, visitedOn, quarter });
  const rs9Count = async (): Promise<number> => (await ds.query(`SELECT count(*)::int AS n FROM alerts.alerts WHERE rule = 'RS-9.OUTREACH_MISSING'`))[0].n;
  const sweepAt = async (iso: string) => {
    clock.set(new Date(iso));
    return deadlines.sweep();
  };

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alrs9', clock, keys });
    ({ dataSource: ds, deadlines } = harness);
    handler = harness.app.get(ResettlementAlertsHandler);
  });
  afterAll(async () => harness?.close());

  it('RS-9: start-up makes a watch per town for this quarter and the next, due on the first working day after the quarter (2026-10-08, after the National Day holiday)', async () => {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM alerts.watches WHERE rule = 'RS-9.OUTREACH_MISSING' AND record_id LIKE ANY(ARRAY['%:2026-Q3', '%:2026-Q4'])`);
    expect(n).toBe(townCodes().length * 2);
    const q3 = await watchOf('104:2026-Q3');
    expect(new Date(q3!.due_at).toISOString()).toBe('2026-10-07T16:00:00.000Z'); // 2026-10-08 00:00 in Jiangyin
    const q4 = await watchOf('104:2026-Q4');
    expect(new Date(q4!.due_at).toISOString()).toBe('2027-01-03T16:00:00.000Z'); // 2027-01-04 00:00 (01-01 holiday, then the weekend)
  });

  it('RS-9: across the quarter end a town with a visit gets no alert, a town without gets one BLUE alert, not doubled when the watches and the sweep run again; a visit recorded late resolves it', async () => {
    await visited('104', '2026-09-15', '2026-Q3');
    await eventually(() => watchOf('104:2026-Q3'), (w) => w?.satisfied === true);

    await sweepAt('2026-10-07T15:59:00Z'); // 10-07 23:59 in Jiangyin: the holiday, not yet due
    expect(await rs9Count()).toBe(0);

    await sweepAt('2026-10-07T16:00:00Z');
    expect(await alertsOf('107:2026-Q3')).toEqual([{ rule: 'RS-9.OUTREACH_MISSING', colour: 'BLUE', town: '107', state: 'OPEN', person_key: null, note: null }]);
    expect(await alertsOf('104:2026-Q3')).toEqual([]);
    // Every other town without a visit has its own (one per town).
    const [{ towns, n }] = await ds.query(`SELECT count(DISTINCT town)::int AS towns, count(*)::int AS n FROM alerts.alerts WHERE rule = 'RS-9.OUTREACH_MISSING' AND record_id LIKE '%:2026-Q3'`);
    expect([towns, n]).toEqual([townCodes().length - 1, townCodes().length - 1]);

    // Re-run: the periodic arming (in the quarter and after it) and the sweep raise nothing more.
    clock.set(new Date('2026-09-30T08:00:00Z'));
    await handler.ensureOutreachWatches();
    await sweepAt('2026-10-08T02:00:00Z');
    await handler.ensureOutreachWatches();
    await sweepAt('2026-10-09T02:00:00Z');
    expect(await rs9Count()).toBe(townCodes().length - 1);
    expect(await alertsOf('107:2026-Q3')).toHaveLength(1);
    expect(await watchOf('107:2026-Q3')).toMatchObject({ fired: true, satisfied: false });
    // The next quarter's watch is armed and pending.
    expect(await watchOf('107:2026-Q4')).toMatchObject({ satisfied: false, fired: false });
    expect(await watchOf('107:2027-Q1')).toMatchObject({ satisfied: false, fired: false });

    // The town office records its September visit late: the BLUE alert is resolved, with a note.
    await visited('107', '2026-09-28', '2026-Q3');
    const [resolved] = await eventually(() => alertsOf('107:2026-Q3'), (a) => a[0]?.state === 'RESOLVED');
    expect(resolved.note).toBe(OUTREACH_RECORDED_NOTE);
    // The system's settling is audited once, against that alert and its town.
    const [{ id }] = await ds.query(`SELECT id FROM alerts.alerts WHERE record_type = 'resettlement.town-quarter' AND record_id = '107:2026-Q3'`);
    const settled = await harness.db.query<{ entity_id: string; towns: string[] }>(`SELECT entity_id, towns FROM audit.events WHERE action = 'alerts.alert.settle'`);
    expect(settled).toEqual([{ entity_id: id, towns: ['107'] }]);
  });

  it('RS-9: a visit that arrives before its quarter\'s watch exists settles it; the later arming leaves it settled and nothing is raised', async () => {
    await visited('001', '2027-04-02', '2027-Q2');
    await eventually(() => watchOf('001:2027-Q2'), (w) => w?.satisfied === true);
    clock.set(new Date('2027-04-10T02:00:00Z'));
    await handler.ensureOutreachWatches();
    expect(await watchOf('001:2027-Q2')).toMatchObject({ satisfied: true });
    await sweepAt('2027-07-01T02:00:00Z');
    expect(await alertsOf('001:2027-Q2')).toEqual([]);
    expect(await alertsOf('104:2027-Q2')).toHaveLength(1);
  });
});

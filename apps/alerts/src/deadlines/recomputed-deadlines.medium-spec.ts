import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventPayloads, SentenceType } from '@homeward/domain';
import { FixedClock, ReferenceLoader, createReferenceSchema } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';
import { DeadlinesService } from './deadlines.service';

jest.setTimeout(60_000);

const KEY = 'b'.repeat(64);

describe('alerts: a changed holiday table moves the due-date watches (issue 7 item 10, CC-23; real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let ds: DataSource;
  let deadlines: DeadlinesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2027-02-01T02:00:00Z'));

  const enrolled = (subjectId: string, reportDeadline: string, documentsDeadline = reportDeadline): EventPayloads['correction.subject.enrolled'] => ({
    subjectId,
    personKey: KEY,
    town: '104',
    sentenceType: SentenceType.PROBATION,
    judgmentEffectiveDate: '2027-02-01',
    reportDeadline,
    documentsDeadline,
  });
  const recomputed = (subjectId: string, revision: number, date: string): EventPayloads['correction.deadlines.recomputed'] => ({
    revision,
    year: 2027,
    recordType: 'SUBJECT',
    recordId: subjectId,
    personKey: KEY,
    town: '104',
    reportDeadline: date,
    documentsDeadline: date,
  });
  const dueOf = async (id: string, rule = 'CC-4.NOT_REPORTED'): Promise<string> => {
    const [w] = await ds.query(`SELECT due_at FROM alerts.watches WHERE record_id = $1 AND rule = $2`, [id, rule]);
    return w ? new Date(w.due_at).toISOString() : 'none';
  };
  const alertsOf = (id: string) => ds.query(`SELECT rule, colour FROM alerts.alerts WHERE record_id = $1 ORDER BY rule`, [id]);

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'recomputed', clock, keys });
    ({ dataSource: ds, deadlines } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const later = randomUUID();

  it('CC-23 / CC-4: the report deadline moved from 02-11 to 02-15 moves the watch to 00:00 on 02-16 (Shanghai)', async () => {
    await harness.deliver('correction.subject.enrolled', enrolled(later, '2027-02-11'));
    await eventually(() => dueOf(later), (d) => d === '2027-02-11T16:00:00.000Z');
    await harness.deliver('correction.deadlines.recomputed', recomputed(later, 5, '2027-02-15'));
    await eventually(() => dueOf(later), (d) => d === '2027-02-15T16:00:00.000Z');
    expect(await dueOf(later, 'CC-3.DOCUMENTS_MISSING')).toBe('2027-02-15T16:00:00.000Z');
  });

  it('CC-4: nothing is raised on the old date; the alert comes on the new one', async () => {
    clock.set(new Date('2027-02-12T01:00:00Z'));
    await deadlines.sweep();
    expect(await alertsOf(later)).toEqual([]);
    clock.set(new Date('2027-02-15T16:00:00Z'));
    await deadlines.sweep();
    expect(await alertsOf(later)).toEqual([
      { rule: 'CC-3.DOCUMENTS_MISSING', colour: 'YELLOW' },
      { rule: 'CC-4.NOT_REPORTED', colour: 'ORANGE' },
    ]);
  });

  it('a deadline that moves earlier moves the watch earlier (armWatch alone would keep the later one)', async () => {
    clock.set(new Date('2027-02-01T02:00:00Z'));
    const earlier = randomUUID();
    await harness.deliver('correction.subject.enrolled', enrolled(earlier, '2027-02-15'));
    await eventually(() => dueOf(earlier), (d) => d === '2027-02-15T16:00:00.000Z');
    await harness.deliver('correction.deadlines.recomputed', recomputed(earlier, 6, '2027-02-11'));
    await eventually(() => dueOf(earlier), (d) => d === '2027-02-11T16:00:00.000Z');
  });

  it("CC-12 / CC-23: a running electronic location's expiry reminder follows the new calendar; the 'expired' check stays on the end date", async () => {
    const monitoringId = randomUUID();
    await harness.deliver('correction.monitoring.approved', { monitoringId, subjectId: randomUUID(), personKey: KEY, town: '104', startDate: '2027-01-20', endDate: '2027-02-16', warnOn: '2027-02-09' });
    await eventually(() => dueOf(monitoringId, 'CC-12.MONITORING_EXPIRING'), (d) => d === '2027-02-08T16:00:00.000Z');
    await harness.deliver('correction.deadlines.recomputed', { revision: 9, year: 2027, recordType: 'MONITORING', recordId: monitoringId, personKey: KEY, town: '104', warnOn: '2027-02-02', endDate: '2027-02-16' });
    await eventually(() => dueOf(monitoringId, 'CC-12.MONITORING_EXPIRING'), (d) => d === '2027-02-01T16:00:00.000Z');
    expect(await dueOf(monitoringId, 'CC-12.MONITORING_EXPIRED')).toBe('2027-02-16T16:00:00.000Z');
  });

  it('an older change delivered late does not undo a newer one', async () => {
    const id = randomUUID();
    await harness.deliver('correction.subject.enrolled', enrolled(id, '2027-02-11'));
    await eventually(() => dueOf(id), (d) => d === '2027-02-11T16:00:00.000Z');
    await harness.deliver('correction.deadlines.recomputed', recomputed(id, 8, '2027-02-16'));
    await eventually(() => dueOf(id), (d) => d === '2027-02-16T16:00:00.000Z');
    await harness.deliver('correction.deadlines.recomputed', recomputed(id, 7, '2027-02-15'));
    await new Promise((r) => setTimeout(r, 700));
    expect(await dueOf(id)).toBe('2027-02-16T16:00:00.000Z');
  });

  it('a subject who already reported stays settled: the move raises nothing', async () => {
    const id = randomUUID();
    await harness.deliver('correction.subject.enrolled', enrolled(id, '2027-02-11', '2099-12-31'));
    await eventually(() => dueOf(id), (d) => d === '2027-02-11T16:00:00.000Z');
    await harness.deliver('correction.subject.reported', { subjectId: id, personKey: KEY, town: '104', reportedOn: '2027-02-03' });
    await eventually(() => ds.query(`SELECT satisfied_at FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-4.NOT_REPORTED'`, [id]), (r) => r[0].satisfied_at !== null);
    await harness.deliver('correction.deadlines.recomputed', { ...recomputed(id, 9, '2027-02-15'), documentsDeadline: '2099-12-31' });
    await new Promise((r) => setTimeout(r, 700));
    clock.set(new Date('2027-02-20T00:00:00Z'));
    await deadlines.sweep();
    expect((await alertsOf(id)).filter((a: { rule: string }) => a.rule === 'CC-4.NOT_REPORTED')).toEqual([]);
  });

  it('AL-2: once the official 2027 table is in the reference schema, a YELLOW alert raised on 02-11 is due by the end of 02-17, not 02-16', async () => {
    const due = async (id: string) => {
      const [a] = await ds.query(`SELECT due_by FROM alerts.alerts WHERE record_id = $1 AND rule = 'CC-3.DOCUMENTS_MISSING'`, [id]);
      return new Date(a.due_by).toISOString();
    };
    clock.set(new Date('2027-02-01T02:00:00Z'));
    const before = randomUUID();
    await harness.deliver('correction.subject.enrolled', enrolled(before, '2099-12-31', '2027-02-10'));
    await eventually(() => dueOf(before, 'CC-3.DOCUMENTS_MISSING'), (d) => d !== 'none');
    clock.set(new Date('2027-02-11T01:00:00Z'));
    await deadlines.sweep();
    // Provisional 2027: 3 working days after Thursday 02-11 are 02-12, 02-15, 02-16.
    expect(await due(before)).toBe('2027-02-16T15:59:59.999Z');

    // The schema community-correction's migration makes, with the official table (as its CITY_ADMIN would store it).
    const migrator = new DataSource({ type: 'postgres', url: harness.db.url });
    await migrator.initialize();
    try {
      const runner = migrator.createQueryRunner();
      await createReferenceSchema(runner);
      await runner.release();
      await harness.db.query(
        `INSERT INTO reference.holiday_tables (year, status, holidays, working_weekends, valid_from, valid_to, recorded_at, recorded_by)
         VALUES (2027, 'OFFICIAL', $1::jsonb, '["2027-02-20"]'::jsonb, '2027-01-01', '2027-12-31', now(), 'test')`,
        [JSON.stringify(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'])],
      );
    } finally {
      await migrator.destroy();
    }
    // The app's own role reads it (SELECT through homeward_app).
    expect(await harness.app.get(ReferenceLoader).reload()).toBe(true);
    clock.set(new Date('2027-02-01T02:00:00Z'));
    const after = randomUUID();
    await harness.deliver('correction.subject.enrolled', enrolled(after, '2099-12-31', '2027-02-10'));
    await eventually(() => dueOf(after, 'CC-3.DOCUMENTS_MISSING'), (d) => d !== 'none');
    clock.set(new Date('2027-02-11T01:00:00Z'));
    await deadlines.sweep();
    expect(await due(after)).toBe('2027-02-17T15:59:59.999Z');
  });
});

import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventPayloads, SentenceType } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
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
});

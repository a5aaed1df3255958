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

describe('alerts: CC-3 documents missing (due-date) and CC-2 lost contact (event) rules (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  let ds: DataSource;
  let deadlines: DeadlinesService;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));

  const deliver: AlertsHarness['deliver'] = (name, payload) => harness.deliver(name, payload);

  const enrolled = (subjectId: string): EventPayloads['correction.subject.enrolled'] => ({
    subjectId,
    personKey: KEY,
    town: '104',
    sentenceType: SentenceType.PROBATION,
    judgmentEffectiveDate: '2026-11-20',
    reportDeadline: '2026-11-30',
    documentsDeadline: '2026-11-30',
  });
  const delivered = (subjectId: string, complete: boolean): EventPayloads['correction.documents.delivered'] => ({
    subjectId,
    personKey: KEY,
    town: '104',
    documentType: complete ? 'EXECUTION_NOTICE' : 'JUDGMENT',
    documentsDeadline: '2026-11-30',
    complete,
    missingDocumentTypes: complete ? [] : ['EXECUTION_NOTICE'],
  });
  const watch = (id: string, rule: string) => ds.query(`SELECT * FROM alerts.watches WHERE record_id = $1 AND rule = $2`, [id, rule]);
  const alerts = (id: string, rule: string) => ds.query(`SELECT * FROM alerts.alerts WHERE record_id = $1 AND rule = $2`, [id, rule]);

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'alerts-cc', clock, keys });
    ({ dataSource: ds, deadlines } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const missing = randomUUID();
  const complete = randomUUID();

  it('CC-3 (issue 7 item 6): an enrolment starts a documents watch due at 00:00 Shanghai on the day after the documents deadline (delivery on day 10 is on time)', async () => {
    await deliver('correction.subject.enrolled', enrolled(missing));
    await deliver('correction.subject.enrolled', enrolled(complete));
    const [w] = await eventually(() => watch(missing, 'CC-3.DOCUMENTS_MISSING'), (r) => r.length === 1);
    expect(new Date(w.due_at).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    await eventually(() => watch(complete, 'CC-3.DOCUMENTS_MISSING'), (r) => r.length === 1);
  });

  it('CC-3: a partial delivery does not satisfy the watch; the complete set does', async () => {
    await deliver('correction.documents.delivered', delivered(missing, false));
    await deliver('correction.documents.delivered', delivered(complete, false));
    await deliver('correction.documents.delivered', delivered(complete, true));
    await eventually(() => watch(complete, 'CC-3.DOCUMENTS_MISSING'), (r) => r[0].satisfied_at !== null);
    expect((await watch(missing, 'CC-3.DOCUMENTS_MISSING'))[0].satisfied_at).toBeNull();
  });

  it('CC-3: nothing is raised on day 10 itself (the deadline day, delivery still on time)', async () => {
    clock.set(new Date('2026-11-30T15:59:59.000Z'));
    await deadlines.sweep();
    expect(await alerts(missing, 'CC-3.DOCUMENTS_MISSING')).toHaveLength(0);
  });

  it('CC-3: on day 11 the sweep raises one YELLOW "documents missing" alert for the incomplete case only', async () => {
    clock.set(new Date('2026-11-30T16:00:00.000Z'));
    await deadlines.sweep();
    const [alert] = await alerts(missing, 'CC-3.DOCUMENTS_MISSING');
    expect(alert).toMatchObject({ colour: 'YELLOW', state: 'OPEN', town: '104', person_key: KEY, record_type: 'correction.subject' });
    expect(await alerts(complete, 'CC-3.DOCUMENTS_MISSING')).toHaveLength(0);
    // Neither has reported by day 11 either: CC-4's own (ORANGE) alert is raised the same morning, once each.
    expect(await alerts(missing, 'CC-4.NOT_REPORTED')).toEqual([expect.objectContaining({ colour: 'ORANGE' })]);
  });

  it('CC-3: a complete delivery handled before its enrolment still counts (the watch is written satisfied)', async () => {
    clock.set(new Date('2026-11-20T02:00:00Z'));
    const early = randomUUID();
    await deliver('correction.documents.delivered', delivered(early, true));
    await eventually(() => watch(early, 'CC-3.DOCUMENTS_MISSING'), (r) => r.length === 1 && r[0].satisfied_at !== null);
    await deliver('correction.subject.enrolled', enrolled(early));
    await eventually(() => watch(early, 'CC-4.NOT_REPORTED'), (r) => r.length === 1);
    clock.set(new Date('2026-11-30T00:00:00Z'));
    await deadlines.sweep();
    expect(await alerts(early, 'CC-3.DOCUMENTS_MISSING')).toHaveLength(0);
  });

  it('AL-3 lost contact: an absconding raises one RED alert at once; a second report keeps one open (AL-1)', async () => {
    clock.set(new Date('2026-12-10T02:00:00Z'));
    const gone = randomUUID();
    await deliver('correction.subject.absconded', { subjectId: gone, personKey: KEY, town: '104', lostContactOn: '2026-12-08' });
    const [alert] = await eventually(() => alerts(gone, 'CC-2.LOST_CONTACT'), (r) => r.length === 1);
    expect(alert).toMatchObject({ colour: 'RED', state: 'OPEN', town: '104' });
    expect(new Date(alert.due_by).toISOString()).toBe('2026-12-10T03:00:00.000Z');
    await deliver('correction.subject.absconded', { subjectId: gone, personKey: KEY, town: '104', lostContactOn: '2026-12-09' });
    await new Promise((r) => setTimeout(r, 500));
    expect(await alerts(gone, 'CC-2.LOST_CONTACT')).toHaveLength(1);
  });
});

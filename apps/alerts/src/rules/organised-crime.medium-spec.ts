import { randomUUID } from 'node:crypto';
import { EventPayloads, SentenceType } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';

jest.setTimeout(60_000);

/** CC-25: every alert about a person in an organised-crime case (涉黑涉恶) is at least ORANGE. */
describe('alerts: CC-25 organised-crime floor (real PostgreSQL + Redis + BullMQ)', () => {
  let harness: AlertsHarness;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const FLAGGED = 'f'.repeat(64);
  const PLAIN = 'e'.repeat(64);
  const flagged = randomUUID();
  const plain = randomUUID();

  const enrolled = (subjectId: string, personKey: string): EventPayloads['correction.subject.enrolled'] => ({
    subjectId,
    personKey,
    town: '104',
    sentenceType: SentenceType.PROBATION,
    judgmentEffectiveDate: '2026-11-20',
    reportDeadline: '2026-11-30',
    documentsDeadline: '2026-11-30',
  });
  const alertOf = async (subjectId: string, rule: string) =>
    harness.db.query<{ colour: string }>(`SELECT colour FROM alerts.alerts WHERE record_id = $1 AND rule = $2`, [subjectId, rule]);

  beforeAll(async () => {
    harness = await bootAlertsApp({ label: 'al-cc25', clock, keys });
  });

  afterAll(async () => {
    await harness?.close();
  });

  it('CC-25: the YELLOW documents-missing alert of a flagged person is raised ORANGE; an unflagged one stays YELLOW', async () => {
    await harness.deliver('correction.subject.organised-crime-flag', { subjectId: flagged, personKey: FLAGGED, town: '104', flagged: true });
    await eventually(() => harness.db.query(`SELECT 1 FROM alerts.person_flags WHERE person_key = $1 AND organised_crime`, [FLAGGED]), (r) => r.length === 1);
    await harness.deliver('correction.subject.enrolled', enrolled(flagged, FLAGGED));
    await harness.deliver('correction.subject.enrolled', enrolled(plain, PLAIN));
    await eventually(() => harness.db.query(`SELECT 1 FROM alerts.watches WHERE rule = 'CC-3.DOCUMENTS_MISSING'`), (r) => r.length === 2);
    clock.set(new Date('2026-11-30T16:00:00.000Z'));
    await harness.deadlines.sweep();
    expect(await alertOf(flagged, 'CC-3.DOCUMENTS_MISSING')).toEqual([{ colour: 'ORANGE' }]);
    expect(await alertOf(plain, 'CC-3.DOCUMENTS_MISSING')).toEqual([{ colour: 'YELLOW' }]);
    // RED stays RED (a floor, never a cap)
    await harness.deliver('correction.subject.absconded', { subjectId: flagged, personKey: FLAGGED, town: '104', lostContactOn: '2026-11-30' });
    expect(await eventually(() => alertOf(flagged, 'CC-2.LOST_CONTACT'), (r) => r.length === 1)).toEqual([{ colour: 'RED' }]);
  });
});

import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { EventPayloads, SentenceType } from '@homeward/domain';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';

jest.setTimeout(60_000);

const enrolled = (subjectId: string): EventPayloads['correction.subject.enrolled'] => ({
  subjectId,
  personKey: 'c'.repeat(64),
  town: '104',
  sentenceType: SentenceType.PROBATION,
  judgmentEffectiveDate: '2026-11-20',
  reportDeadline: '2026-11-30',
  documentsDeadline: '2027-12-31',
});

describe('issue 14 item 7: a graceful stop lets the in-flight handler finish (real PostgreSQL + Redis + BullMQ)', () => {
  let h: AlertsHarness;
  let pg: Client;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));

  beforeAll(async () => {
    // This file checks the delayed checks an arming writes, months ahead: a horizon of 31 days covers them
    // (the horizon itself: deadline-horizon.medium-spec.ts).
    h = await bootAlertsApp({ label: 'algraceful', clock, keys, env: { ALERT_JOB_HORIZON_HOURS: '744' } });
    pg = new Client({ connectionString: h.db.url });
    await pg.connect();
  });
  afterAll(async () => {
    await pg?.end().catch(() => undefined);
    await h?.close(); // the app is closed already; this closes the producer, drops the database, clears the prefix
  });

  it('issue 14 item 7: an event being handled when the app is asked to stop completes (watch written, delayed check scheduled), it is not failed with "Connection is closed"', async () => {
    // Hold the handler inside its transaction: the watches table is locked until we let go.
    await pg.query('BEGIN');
    await pg.query('LOCK TABLE alerts.watches IN EXCLUSIVE MODE');
    const subjectId = randomUUID();
    const eventId = await h.deliver('correction.subject.enrolled', enrolled(subjectId));
    await eventually(async () => (await h.queue.getJobState(eventId)) as string, (s) => s === 'active');

    const stopping = h.app.close(); // SIGTERM does the same (enableShutdownHooks)
    await new Promise((r) => setTimeout(r, 1_000)); // the stop is under way, the handler still waits
    await pg.query('COMMIT');
    await stopping;

    const watches = await pg.query(`SELECT id, rule FROM alerts.watches WHERE record_id = $1 ORDER BY rule`, [subjectId]);
    expect(watches.rows.map((r: { rule: string }) => r.rule)).toEqual(['CC-3.DOCUMENTS_MISSING', 'CC-4.NOT_REPORTED']);
    const inbox = await pg.query(`SELECT count(*)::int AS n FROM alerts.bus_inbox WHERE event_id = $1`, [eventId]);
    expect(inbox.rows[0].n).toBe(1);
    expect(await h.queue.getJobState(eventId)).toBe('completed');
    // The handler's delayed check was committed with the watch, in the outbox (issue 8 item 5): relayed to
    // BullMQ before the relay stopped, or by the next start — either way it is not lost.
    const notReported = watches.rows.find((r: { rule: string }) => r.rule === 'CC-4.NOT_REPORTED');
    const jobs = await pg.query(`SELECT job_id, relayed_at FROM alerts.bus_outbox WHERE job_queue = 'alerts.deadlines' AND payload->>'watchId' = $1`, [notReported.id]);
    expect(jobs.rows).toHaveLength(1);
    if (jobs.rows[0].relayed_at) {
      const connection = new IORedis(h.redisUrl, { maxRetriesPerRequest: null });
      const checks = new Queue('alerts.deadlines', { connection, prefix: h.prefix });
      try {
        expect(await checks.getJobState(jobs.rows[0].job_id)).toBe('delayed');
      } finally {
        await checks.close();
        connection.disconnect();
      }
    }
  });
});

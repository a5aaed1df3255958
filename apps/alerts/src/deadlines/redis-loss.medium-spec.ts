import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import request from 'supertest';
import { EventPayloads, SentenceType } from '@homeward/domain';
import type { Registry } from 'prom-client';
import { FixedClock, METRICS_REGISTRY, startMetricsServer } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually, flushRedisPrefix } from '@homeward/testing';
import { AlertsHarness, bootAlertsApp } from '../../test/alerts-harness';

jest.setTimeout(60_000);

const KEY = 'b'.repeat(64);

const enrolled = (subjectId: string): EventPayloads['correction.subject.enrolled'] => ({
  subjectId,
  personKey: KEY,
  town: '104',
  sentenceType: SentenceType.PROBATION,
  judgmentEffectiveDate: '2026-11-20',
  reportDeadline: '2026-11-30',
  documentsDeadline: '2027-12-31',
});

/** The app's BullMQ queue (same Redis prefix), to look at its job schedulers. */
function queueOf(h: AlertsHarness, name: string): { queue: Queue; close(): Promise<void> } {
  const connection = new IORedis(h.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, prefix: h.prefix });
  return { queue, close: async () => { await queue.close(); connection.disconnect(); } };
}

describe('issue 14 item 3: the time-driven rules survive a wiped Redis (real PostgreSQL + Redis + BullMQ)', () => {
  const keys = new TestKeys();

  describe('schedulers come back and a due watch raises its alert', () => {
    let h: AlertsHarness;
    const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
    beforeAll(async () => {
      h = await bootAlertsApp({ label: 'alredisloss', clock, keys, env: { ALERT_SWEEP_INTERVAL_SECONDS: '1', SCHEDULER_VERIFY_SECONDS: '1' } });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('issue 14 item 3: after a FLUSH of the app\'s Redis keys the sweep and key-person schedulers are registered again, and a due watch whose delayed job was lost raises its alert', async () => {
      const subjectId = randomUUID();
      await h.deliver('correction.subject.enrolled', enrolled(subjectId));
      await eventually(() => h.dataSource.query(`SELECT id FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-4.NOT_REPORTED'`, [subjectId]), (r) => r.length === 1);

      // Redis loses everything of this app (its delayed check job, the job schedulers, the queues).
      await flushRedisPrefix(h.redisUrl, h.prefix);

      const deadlines = queueOf(h, 'alerts.deadlines');
      const keyPersons = queueOf(h, 'alerts.key-person-months');
      try {
        await eventually(() => deadlines.queue.getJobScheduler('deadline-sweep'), (s) => Boolean(s), { timeoutMs: 15_000 });
        await eventually(() => keyPersons.queue.getJobScheduler('key-person-month-watches'), (s) => Boolean(s), { timeoutMs: 15_000 });
        expect(await deadlines.queue.getJob(`watch-${(await h.dataSource.query(`SELECT id FROM alerts.watches WHERE record_id = $1 AND rule = 'CC-4.NOT_REPORTED'`, [subjectId]))[0].id}`)).toBeUndefined();
      } finally {
        await deadlines.close();
        await keyPersons.close();
      }

      // Day 11: the periodic sweep (from PostgreSQL alone) raises the alert; no delayed job is left.
      clock.set(new Date('2026-11-30T16:00:01Z'));
      const alerts = await eventually(
        () => h.dataSource.query(`SELECT rule, colour FROM alerts.alerts WHERE record_id = $1 AND rule = 'CC-4.NOT_REPORTED'`, [subjectId]),
        (r) => r.length === 1,
        { timeoutMs: 20_000 },
      );
      expect(alerts[0]).toEqual({ rule: 'CC-4.NOT_REPORTED', colour: 'ORANGE' });

      const ready = await request(h.app.getHttpServer()).get('/health/ready').expect(200);
      expect(ready.body.status).toBe('ok');
      expect(ready.body.checks['scheduler:deadline-sweep']).toEqual({ ok: true });
    });
  });

  describe('readiness', () => {
    let h: AlertsHarness;
    const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
    beforeAll(async () => {
      h = await bootAlertsApp({ label: 'alredisready', clock, keys, env: { SCHEDULER_VERIFY_SECONDS: '3600' } });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('issue 14 item 5: /metrics shows the consumer queue depths and the outbox gauges', async () => {
      // /metrics is served by the metrics listener only (issue 6 item 14), never on the app port.
      await request(h.app.getHttpServer()).get('/metrics').expect(404);
      const listener = await startMetricsServer(h.app.get<Registry>(METRICS_REGISTRY), 0);
      let metrics: request.Response;
    try {
      metrics = await request(listener).get('/metrics').expect(200);
    } finally {
      listener.close();
    }
      expect(metrics.text).toMatch(/homeward_bus_queue_jobs\{queue="events\.alerts",state="waiting"\} \d+/);
      expect(metrics.text).toMatch(/homeward_bus_queue_jobs\{queue="events\.alerts",state="failed"\} \d+/);
      expect(metrics.text).toMatch(/homeward_bus_outbox_pending\{service="alerts"\} \d+/);
    });

    it('issue 14 item 3: /health/ready reports a missing job scheduler as degraded (200), not as down', async () => {
      const before = await request(h.app.getHttpServer()).get('/health/ready').expect(200);
      expect(before.body.status).toBe('ok');
      expect(before.body.checks['scheduler:deadline-sweep']).toEqual({ ok: true });
      await flushRedisPrefix(h.redisUrl, h.prefix);
      const after = await request(h.app.getHttpServer()).get('/health/ready').expect(200);
      expect(after.body.status).toBe('degraded');
      expect(after.body.checks['scheduler:deadline-sweep']).toMatchObject({ ok: false, degraded: true });
      expect(after.body.checks['scheduler:key-person-month-watches']).toMatchObject({ ok: false, degraded: true });
      expect(after.body.checks.postgres).toEqual({ ok: true });
    });
  });
});

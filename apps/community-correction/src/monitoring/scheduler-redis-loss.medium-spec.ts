import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import request from 'supertest';
import { FixedClock } from '@homeward/platform';
import { TestKeys } from '@homeward/platform/testing';
import { eventually, flushRedisPrefix } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

describe('issue 14 item 3: the CC-12 silent-device check survives a wiped Redis (real PostgreSQL + Redis + BullMQ)', () => {
  let svc: CorrectionApp;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));

  beforeAll(async () => {
    svc = await bootCorrectionApp({ label: 'ccsched', clock, keys, env: { MONITORING_SILENT_CHECK_SECONDS: '3600', SCHEDULER_VERIFY_SECONDS: '1' } });
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('issue 14 item 3: after a FLUSH of the app\'s Redis keys the silent-device job scheduler is registered again and readiness is ok', async () => {
    const connection = new IORedis(svc.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('correction.monitoring', { connection, prefix: svc.prefix });
    try {
      expect(await queue.getJobScheduler('device-silent-check')).toBeTruthy();
      await flushRedisPrefix(svc.redisUrl, svc.prefix);
      expect(await queue.getJobScheduler('device-silent-check')).toBeFalsy();
      const scheduler = await eventually(() => queue.getJobScheduler('device-silent-check'), (s) => Boolean(s), { timeoutMs: 15_000 });
      expect(scheduler?.every).toBe(3_600_000);
      const ready = await request(svc.app.getHttpServer()).get('/health/ready').expect(200);
      expect(ready.body.checks['scheduler:device-silent-check']).toEqual({ ok: true });
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});

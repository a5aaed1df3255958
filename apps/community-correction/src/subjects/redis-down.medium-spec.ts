import request from 'supertest';
import { AgencyKind } from '@homeward/domain';
import type { Registry } from 'prom-client';
import { FixedClock, METRICS_REGISTRY, startMetricsServer } from '@homeward/platform';
import { TestKeys, partnerPrincipal } from '@homeward/platform/testing';
import { enrolmentPayload, eventually, OwnRedis, startOwnRedis } from '@homeward/testing';
import { CorrectionApp, bootCorrectionApp } from '../../test/correction-harness';

jest.setTimeout(60_000);

const YEAR = 3600 * 24 * 365;

/** Issue 14 item 4: the app on a redis-server of this test's own, which the test kills (never the shared one). */
describe('issue 14 item 4: partner writes while Redis is down (real PostgreSQL, own redis-server)', () => {
  let redis: OwnRedis;
  let svc: CorrectionApp;
  const keys = new TestKeys();
  const clock = new FixedClock(new Date('2026-11-20T02:00:00Z'));
  const court = keys.mint(partnerPrincipal(AgencyKind.COURT), { expiresInSeconds: YEAR, now: clock.now() });

  beforeAll(async () => {
    redis = await startOwnRedis();
    svc = await bootCorrectionApp({ label: 'ccredisdown', clock, keys, env: { REDIS_URL: redis.url, BUS_RELAY_INTERVAL_MS: '200' } });
  });
  afterAll(async () => {
    await redis?.start(); // closing BullMQ needs Redis
    await svc?.close();
    await redis?.stop();
  });

  const enrol = (idNumber: string, key: string) =>
    request(svc.app.getHttpServer())
      .post('/api/v1/correction/enrolments')
      .set('authorization', `Bearer ${court}`)
      .set('idempotency-key', key)
      .send(enrolmentPayload({ idNumber }));
  const outboxOf = async (subjectId: string): Promise<{ relayed_at: Date | null } | undefined> =>
    (await svc.dataSource.query(`SELECT relayed_at FROM correction.bus_outbox WHERE name = 'correction.subject.enrolled' AND payload->>'subjectId' = $1`, [subjectId]))[0];

  it('issue 14 item 4: with Redis down an enrolment answers 201 (rate limit fails open), readiness is degraded not down, and the event is relayed when Redis returns (issue 14 item 5: the backlog shows on /metrics)', async () => {
    await enrol('11010519491231002X', 'UP-1').expect(201);

    await redis.kill();
    const started = Date.now();
    const res = await enrol('110101199003071719', 'DOWN-1');
    expect(res.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5_000);
    const subjectId = res.body.id as string;
    expect((await outboxOf(subjectId))?.relayed_at).toBeNull();
    // A replay of the same key still answers from PostgreSQL.
    const replay = await enrol('110101199003071719', 'DOWN-1').expect(201);
    expect(replay.body.id).toBe(subjectId);

    const ready = await request(svc.app.getHttpServer()).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('degraded');
    expect(ready.body.checks.postgres).toEqual({ ok: true });
    expect(ready.body.checks.redis).toMatchObject({ ok: false, degraded: true });

    // /metrics is served by the metrics listener only (issue 6 item 14).
    const listener = await startMetricsServer(svc.app.get<Registry>(METRICS_REGISTRY), 0);
    let metrics: request.Response;
    try {
      metrics = await request(listener).get('/metrics').expect(200);
    } finally {
      listener.close();
    }
    expect(metrics.text).toMatch(/homeward_rate_limit_unavailable_total \d+/);
    // issue 14 item 5: the backlog waiting for Redis is visible on /metrics.
    expect(metrics.text).toMatch(/homeward_bus_outbox_pending\{service="community-correction"\} [1-9]/);
    expect(metrics.text).toMatch(/homeward_bus_outbox_oldest_pending_age_seconds\{service="community-correction"\} /);
    expect(metrics.text).toMatch(/homeward_bus_dead_letters\{service="community-correction"\} 0/);

    await redis.start();
    const row = await eventually(() => outboxOf(subjectId), (r) => Boolean(r?.relayed_at), { timeoutMs: 30_000 });
    expect(row?.relayed_at).toBeTruthy();
    await eventually(
      async () => (await request(svc.app.getHttpServer()).get('/health/ready')).body.status,
      (s) => s === 'ok',
      { timeoutMs: 30_000 },
    );
  });
});

/**
 * Issue 6 item 14: `bootstrap()` serves /metrics only on METRICS_PORT (bound to METRICS_HOST),
 * never on the app's PORT.
 */
import { createServer } from 'node:net';
import { Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { flushRedisPrefix, testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { FixedClock } from '../clock/clock';
import { JwksConfig } from '../config/base-config';
import { loadConfig } from '../config/load-config';
import { PlatformModule } from '../platform.module';
import { TestKeys } from '../testing';
import { bootstrap } from './bootstrap';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('issue 6 item 14: bootstrap() serves /metrics on METRICS_PORT only (real Redis)', () => {
  const prefix = testRedisPrefix('metrics');
  let app: NestExpressApplication | undefined;
  let port: number;
  let metricsPort: number;

  beforeAll(async () => {
    port = await freePort();
    metricsPort = await freePort();
    const config = loadConfig(JwksConfig, {
      NODE_ENV: 'test',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      IDENTITY_URL: 'http://127.0.0.1:9',
      LOG_LEVEL: 'silent',
    });
    @Module({
      imports: [
        PlatformModule.forService({
          service: 'metrics-test',
          config: JwksConfig,
          configInstance: config,
          jwks: { useValue: new TestKeys().provider },
          clock: new FixedClock('2026-11-20T02:00:00Z'),
        }),
      ],
    })
    class MetricsTestModule {}
    app = await bootstrap(MetricsTestModule, { name: 'metrics-test', defaultPort: port, logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await flushRedisPrefix(testRedisUrl(), prefix);
  });

  it('the public port answers 404 for /metrics', async () => {
    const res = await request(`http://127.0.0.1:${port}`).get('/metrics');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('process_cpu');
  });

  it('METRICS_PORT answers /metrics in the Prometheus text format, labelled with the app', async () => {
    await request(`http://127.0.0.1:${port}`).get('/health/live').expect(200);
    const res = await request(`http://127.0.0.1:${metricsPort}`).get('/metrics').expect(200);
    expect(res.text).toContain('process_cpu');
    expect(res.text).toMatch(/app="metrics-test"/);
    await request(`http://127.0.0.1:${metricsPort}`).get('/health/live').expect(404);
  });

  it('the metrics listener closes with the app', async () => {
    await app?.close();
    app = undefined;
    await expect(request(`http://127.0.0.1:${metricsPort}`).get('/metrics')).rejects.toThrow();
  });
});

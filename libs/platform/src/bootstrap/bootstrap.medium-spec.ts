import { Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AddressInfo } from 'node:net';
import { flushRedisPrefix, testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { BaseConfig } from '../config/base-config';
import { loadConfig } from '../config/load-config';
import { PlatformModule } from '../platform.module';
import { TestKeys } from '../testing';
import { bootstrap, defaultBindAddress } from './bootstrap';

jest.setTimeout(30_000);

/** Issue 6 item 12: where an app listens (a real server on a random port, real Redis). */
describe('bootstrap: listening address (issue 6 item 12)', () => {
  const keys = new TestKeys();
  const prefix = testRedisPrefix('bind');
  const apps: NestExpressApplication[] = [];

  async function listen(env: Record<string, string>, edge = false): Promise<AddressInfo> {
    const config = loadConfig(BaseConfig, { NODE_ENV: 'test', REDIS_URL: testRedisUrl(), REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', ...env });
    @Module({ imports: [PlatformModule.forService({ service: 'bind-test', config: BaseConfig, configInstance: config, jwks: { useValue: keys.provider } })] })
    class BindTestModule {}
    const app = await bootstrap(BindTestModule, { name: 'bind-test', defaultPort: 0, logger: false, edge });
    apps.push(app);
    return app.getHttpServer().address() as AddressInfo;
  }

  afterAll(async () => {
    for (const app of apps) await app.close();
    await flushRedisPrefix(testRedisUrl(), prefix);
  });

  it('issue 6 item 12: an app behind the gateway listens on 127.0.0.1 by default', async () => {
    expect((await listen({})).address).toBe('127.0.0.1');
  });

  it('issue 6 item 12: BIND_ADDRESS=0.0.0.0 (containers, k8s) listens on every interface', async () => {
    expect((await listen({ BIND_ADDRESS: '0.0.0.0' })).address).toBe('0.0.0.0');
  });

  it('the gateway (edge) keeps 0.0.0.0 by default; BIND_ADDRESS is validated', async () => {
    expect(defaultBindAddress({ edge: true })).toBe('0.0.0.0');
    expect((await listen({}, true)).address).toBe('0.0.0.0');
    expect(() => loadConfig(BaseConfig, { REDIS_URL: testRedisUrl(), BIND_ADDRESS: 'everywhere' })).toThrow(/BIND_ADDRESS/);
  });

  it('issue 6 item 12: SUBGRAPH_SHARED_SECRET is required in production and must be ≥ 32 characters', () => {
    const base = { REDIS_URL: testRedisUrl() };
    expect(() => loadConfig(BaseConfig, { ...base, NODE_ENV: 'production' })).toThrow(/SUBGRAPH_SHARED_SECRET/);
    expect(() => loadConfig(BaseConfig, { ...base, SUBGRAPH_SHARED_SECRET: 'short' })).toThrow(/SUBGRAPH_SHARED_SECRET/);
    expect(loadConfig(BaseConfig, { ...base, NODE_ENV: 'production', SUBGRAPH_SHARED_SECRET: 'x'.repeat(32) }).SUBGRAPH_SHARED_SECRET).toBe('x'.repeat(32));
    expect(loadConfig(BaseConfig, base).SUBGRAPH_SHARED_SECRET).toBeUndefined();
  });
});

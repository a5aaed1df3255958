import Redis from 'ioredis';
import { flushRedisPrefix, testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { resolveBusOptions } from './bus.options';
import { BusJobs } from './bus-jobs';

jest.setTimeout(60_000);

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe('BusJobs: one job facility per app (issue 8 item 5; real Redis + BullMQ)', () => {
  const prefix = testRedisPrefix('busjobs');
  const redisUrl = testRedisUrl();
  const options = resolveBusOptions({ service: 'alerts', schema: 'alerts', redisUrl, prefix });
  let jobs: BusJobs | undefined;
  let admin: Redis;

  beforeAll(() => {
    admin = new Redis(redisUrl);
  });
  afterEach(async () => {
    await jobs?.close();
    jobs = undefined;
  });
  afterAll(async () => {
    await flushRedisPrefix(redisUrl, prefix);
    admin.disconnect();
  });

  it('issue 8 item 5: two queues with two periodic jobs share ONE Redis connection for queues and schedulers, and both periodic jobs run', async () => {
    const runs: string[] = [];
    jobs = new BusJobs(options);
    jobs.process('test.a', async () => runs.push('a'));
    jobs.process('test.b', async () => runs.push('b'));
    jobs.every({ queue: 'test.a', schedulerId: 'every-a', jobName: 'tick', everyMs: 300, verifyEveryMs: 60_000 });
    jobs.every({ queue: 'test.b', schedulerId: 'every-b', jobName: 'tick', everyMs: 300, verifyEveryMs: 60_000 });
    await jobs.start();
    const until = Date.now() + 10_000;
    while (!(runs.includes('a') && runs.includes('b')) && Date.now() < until) await sleep(100);
    expect(new Set(runs)).toEqual(new Set(['a', 'b']));
    const names = String(await admin.call('CLIENT', 'LIST'))
      .split('\n')
      .map((line) => /name=(\S*)/.exec(line)?.[1] ?? '')
      .filter((name) => name.includes(prefix));
    // The facility's own connection (queues + both schedulers); each worker's blocking connection is BullMQ's duplicate.
    expect(names.filter((n) => n === `bus-jobs:alerts:${prefix}`)).toHaveLength(1);
    expect(names.length).toBeLessThanOrEqual(3);
  });

  it('issue 8 item 5: registering after start or a periodic job without a processor is refused', async () => {
    jobs = new BusJobs(options);
    jobs.every({ queue: 'test.none', schedulerId: 'orphan', jobName: 'tick', everyMs: 1000, verifyEveryMs: 60_000 });
    jobs.process('test.c', async () => undefined);
    await expect(jobs.start()).rejects.toThrow(/no processor/);
    expect(() => jobs?.process('test.d', async () => undefined)).toThrow(/after start/);
  });
});

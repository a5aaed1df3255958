import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { OwnRedis, eventually, startOwnRedis } from '@homeward/testing';
import { KeptJobScheduler } from './job-scheduler-keeper';

jest.setTimeout(30_000);

describe('issue 14 item 3: KeptJobScheduler (own redis-server, killed and restarted empty)', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await startOwnRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('issue 14 item 3: re-registers the job scheduler as soon as the connection comes back from a Redis restart without data', async () => {
    const connection = new IORedis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 100 });
    const queue = new Queue('kept.test', { connection, prefix: 'hwt:kept' });
    queue.on('error', () => undefined); // expected while Redis is down
    // The periodic check is far off: only the reconnect can bring it back within the test.
    const kept = new KeptJobScheduler({ queue, connection, schedulerId: 'kept-sweep', everyMs: 60_000, jobName: 'sweep', verifyEveryMs: 3_600_000 });
    try {
      await kept.start();
      expect(await kept.present()).toBe(true);
      await redis.kill();
      expect(await kept.present(300)).toBe(false);
      await redis.start();
      await eventually(() => queue.getJobScheduler('kept-sweep'), (s) => Boolean(s), { timeoutMs: 10_000 });
      expect(await kept.present()).toBe(true);
    } finally {
      kept.stop();
      await queue.close().catch(() => undefined);
      connection.disconnect();
    }
  });
});

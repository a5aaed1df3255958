import Redis from 'ioredis';
import { flushRedisPrefix, testRedisPrefix, testRedisUrl } from '@homeward/testing';
import { ControllableClock, setClockOffset } from './clock';

describe(ControllableClock.name, () => {
  const prefix = testRedisPrefix('clock');
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 2 });
  const clock = new ControllableClock(redis, prefix, 50);

  afterAll(async () => {
    clock.stop();
    await flushRedisPrefix(testRedisUrl(), prefix);
    await redis.quit();
  });

  it('runs on real time while no offset is set', async () => {
    await clock.start();
    expect(clock.offset).toBe(0);
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });

  it('picks up an offset set by the test harness within a poll period', async () => {
    const elevenDays = 11 * 86_400_000;
    await setClockOffset(testRedisUrl(), prefix, elevenDays);
    const deadline = Date.now() + 2000;
    while (clock.offset !== elevenDays && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(clock.offset).toBe(elevenDays);
    expect(clock.now().getTime() - Date.now()).toBeGreaterThan(elevenDays - 1000);
  });
});

import { afterFailedAttempt } from './push-retry';

describe('afterFailedAttempt', () => {
  it('RS-13: exponential backoff 1×, 2×, 4×… the base, the last attempt is the dead letter', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => afterFailedAttempt(n, 6, 30_000))).toEqual([
      { dead: false, delayMs: 30_000 },
      { dead: false, delayMs: 60_000 },
      { dead: false, delayMs: 120_000 },
      { dead: false, delayMs: 240_000 },
      { dead: false, delayMs: 480_000 },
      { dead: true },
    ]);
  });

  it('RS-13: a redelivery starts a new round: attempt 7 of 6 waits the base again, 12 is dead again', () => {
    expect(afterFailedAttempt(7, 6, 100)).toEqual({ dead: false, delayMs: 100 });
    expect(afterFailedAttempt(12, 6, 100)).toEqual({ dead: true });
  });
});

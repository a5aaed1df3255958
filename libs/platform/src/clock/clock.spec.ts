import { FixedClock, SystemClock, clockOffsetKey } from './clock';

describe(FixedClock.name, () => {
  it('stays where it is set and advances on demand', () => {
    const clock = new FixedClock('2026-03-01T15:59:00.000Z');
    expect(clock.now().toISOString()).toBe('2026-03-01T15:59:00.000Z');
    expect(clock.today()).toBe('2026-03-01');
    clock.advance(60_000);
    // 16:00 UTC is midnight in Asia/Shanghai
    expect(clock.today()).toBe('2026-03-02');
    clock.set(new Date('2027-01-01T00:00:00.000Z'));
    expect(clock.now().getUTCFullYear()).toBe(2027);
  });

  it('hands out copies, so a caller cannot move it by mutating the Date', () => {
    const clock = new FixedClock('2026-03-01T00:00:00.000Z');
    clock.now().setUTCFullYear(1999);
    expect(clock.now().getUTCFullYear()).toBe(2026);
  });
});

describe(SystemClock.name, () => {
  it('reads the real time', () => {
    const before = Date.now();
    const t = new SystemClock().now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t - before).toBeLessThan(1000);
  });
});

describe(clockOffsetKey.name, () => {
  it('puts the offset under <prefix>:clock:offset-ms', () => {
    expect(clockOffsetKey('hw')).toBe('hw:clock:offset-ms');
  });
});

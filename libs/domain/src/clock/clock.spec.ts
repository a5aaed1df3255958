import { fixedClock } from './clock';

describe(fixedClock.name, () => {
  it('stays at the instant and gives the Asia/Shanghai date', () => {
    const clock = fixedClock(new Date('2025-01-01T16:30:00Z'));
    expect(clock.now().toISOString()).toBe('2025-01-01T16:30:00.000Z');
    expect(clock.today()).toBe('2025-01-02');
  });

  it('cannot be moved by mutating a returned date', () => {
    const clock = fixedClock(new Date('2025-06-01T00:00:00Z'));
    clock.now().setUTCFullYear(2030);
    expect(clock.now().toISOString()).toBe('2025-06-01T00:00:00.000Z');
  });
});

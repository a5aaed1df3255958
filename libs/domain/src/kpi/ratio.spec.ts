import { meetsTarget, ratio } from './ratio';

describe(ratio.name, () => {
  it('divides and keeps the counts and target', () => {
    expect(ratio(3, 4, 1)).toEqual({ numerator: 3, denominator: 4, value: 0.75, target: 1 });
    expect(ratio(7, 10)).toEqual({ numerator: 7, denominator: 10, value: 0.7, target: null });
  });

  it('has no value when there is nothing to measure', () => {
    expect(ratio(0, 0, 1).value).toBeNull();
  });

  it('allows ratios above 1 (K-RS11 social worker ratio)', () => {
    expect(ratio(3, 2, 1).value).toBe(1.5);
  });

  it('refuses negative or non-finite counts and targets', () => {
    expect(() => ratio(-1, 2)).toThrow(RangeError);
    expect(() => ratio(1, Number.NaN)).toThrow(RangeError);
    expect(() => ratio(1, 2, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('meetsTarget compares in the right direction, null without value or target', () => {
    expect(meetsTarget(ratio(7, 10, 0.7))).toBe(true);
    expect(meetsTarget(ratio(6, 10, 0.7))).toBe(false);
    expect(meetsTarget(ratio(1, 10, 0.05), false)).toBe(false);
    expect(meetsTarget(ratio(0, 10, 0.05), false)).toBe(true);
    expect(meetsTarget(ratio(0, 0, 1))).toBeNull();
    expect(meetsTarget(ratio(1, 2))).toBeNull();
  });
});

/** One indicator value (K-…): numerator / denominator, null when there is nothing to measure. */
export interface Ratio {
  numerator: number;
  denominator: number;
  value: number | null;
  target: number | null;
}

/**
 * numerator / denominator as a fraction (1 = 100%); `value` is null when the denominator
 * is 0 (no case to measure is neither success nor failure). `target` likewise a fraction.
 * @throws RangeError for negative or non-finite counts.
 */
export function ratio(numerator: number, denominator: number, target?: number | null): Ratio {
  for (const [label, n] of [
    ['numerator', numerator],
    ['denominator', denominator],
  ] as const) {
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`ratio: ${label} must be a finite number ≥ 0, got ${n}`);
  }
  if (target !== undefined && target !== null && (!Number.isFinite(target) || target < 0)) {
    throw new RangeError(`ratio: target must be a finite number ≥ 0, got ${target}`);
  }
  return {
    numerator,
    denominator,
    value: denominator === 0 ? null : numerator / denominator,
    target: target ?? null,
  };
}

/** True / false when the ratio has a value and a target; null otherwise. `higherIsBetter` default true. */
export function meetsTarget(r: Ratio, higherIsBetter = true): boolean | null {
  if (r.value === null || r.target === null) return null;
  return higherIsBetter ? r.value >= r.target : r.value <= r.target;
}

import { DomainError, DomainErrorCode } from '../errors/domain-error';

/** CC-6 (刑法 72, 73): the principal penalty a probation (缓刑) suspends. */
export enum SuspendedPenalty {
  /** 拘役: the probation lasts from the term (at least 2 months) to 1 year. */
  CRIMINAL_DETENTION = 'CRIMINAL_DETENTION',
  /** 有期徒刑 (at most 3 years can be suspended): the probation lasts from the term (at least 1 year) to 5 years. */
  FIXED_TERM = 'FIXED_TERM',
}

export const SUSPENDED_PENALTY_LABELS: Record<SuspendedPenalty, string> = {
  [SuspendedPenalty.CRIMINAL_DETENTION]: '拘役',
  [SuspendedPenalty.FIXED_TERM]: '有期徒刑',
};

/** Longest term that can be suspended, in months (拘役 ≤ 6 months, 刑法 42; 有期徒刑 ≤ 3 years, 刑法 72). */
export const SUSPENDED_TERM_MAX_MONTHS: Record<SuspendedPenalty, number> = {
  [SuspendedPenalty.CRIMINAL_DETENTION]: 6,
  [SuspendedPenalty.FIXED_TERM]: 36,
};

/** Shortest term, in months (拘役 ≥ 1 month, 刑法 42; 有期徒刑 ≥ 6 months, 刑法 45). */
export const SUSPENDED_TERM_MIN_MONTHS: Record<SuspendedPenalty, number> = {
  [SuspendedPenalty.CRIMINAL_DETENTION]: 1,
  [SuspendedPenalty.FIXED_TERM]: 6,
};

const VALUES = new Set<string>(Object.values(SuspendedPenalty));

export function isSuspendedPenalty(v: unknown): v is SuspendedPenalty {
  return typeof v === 'string' && VALUES.has(v);
}

/** @throws DomainError(VALIDATION_FAILED) naming `field`. */
export function parseSuspendedPenalty(raw: unknown, field = 'suspendedPenalty'): SuspendedPenalty {
  if (!isSuspendedPenalty(raw)) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      `CC-6: suspendedPenalty must be CRIMINAL_DETENTION or FIXED_TERM / 缓刑所附主刑应为拘役或有期徒刑`,
      { field },
    );
  }
  return raw;
}

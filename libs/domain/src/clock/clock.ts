import { localDateInShanghai, type LocalDate } from '../calendar/local-date';

/** The time source rules use; implementations live in libs/platform. `today()` is the Asia/Shanghai date. */
export interface Clock {
  now(): Date;
  today(): LocalDate;
}

/** A clock stopped at `instant`, for small tests and pure computations. */
export function fixedClock(instant: Date): Clock {
  const at = new Date(instant.getTime());
  return {
    now: () => new Date(at.getTime()),
    today: () => localDateInShanghai(at),
  };
}

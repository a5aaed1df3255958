import { LocalDate, addDays, addYears, compareLocalDate, yearOf } from '../calendar';

/** One release from prison (a person released twice has two). */
export interface ReleaseRecord {
  personKey: string;
  releaseDate: LocalDate;
  /** The town responsible for the person after this release. */
  town: string;
}

/** One re-offence reported by police (RS-8), dated by the offence. */
export interface ReoffenceRecord {
  personKey: string;
  offenceDate: LocalDate;
}

/**
 * The cohort method (docs/domain.md, Indicators): a re-offence belongs to the person's latest
 * release before the offence date (an offence on the release day itself belongs to that release).
 * Returns, per release (same order as given), the first re-offence date attributed to it, or null.
 */
export function attributeReoffences(releases: readonly ReleaseRecord[], reoffences: readonly ReoffenceRecord[]): (LocalDate | null)[] {
  const byPerson = new Map<string, { index: number; date: LocalDate }[]>();
  releases.forEach((r, index) => {
    const list = byPerson.get(r.personKey) ?? [];
    list.push({ index, date: r.releaseDate });
    byPerson.set(r.personKey, list);
  });
  for (const list of byPerson.values()) list.sort((a, b) => compareLocalDate(a.date, b.date));
  const first: (LocalDate | null)[] = releases.map(() => null);
  for (const o of reoffences) {
    const list = byPerson.get(o.personKey);
    if (!list) continue;
    let owner: number | null = null;
    for (const r of list) if (compareLocalDate(r.date, o.offenceDate) <= 0) owner = r.index;
    if (owner === null) continue;
    const current = first[owner];
    if (current === null || compareLocalDate(o.offenceDate, current) < 0) first[owner] = o.offenceDate;
  }
  return first;
}

export interface CohortRate {
  /** Releases in the cohort. */
  released: number;
  /** Of those, releases followed by a re-offence in the window. */
  reoffended: number;
}

/**
 * K-RS7 五年内重新犯罪率 on `asOf`: releases in the 5 years up to `asOf` (from the day after
 * `asOf` − 5 years through `asOf`), and those re-offending within 5 years of that release and on
 * or before `asOf` (what is known on that day).
 */
export function fiveYearReoffending(releases: readonly ReleaseRecord[], reoffences: readonly ReoffenceRecord[], asOf: LocalDate, years = 5): CohortRate {
  const from = addDays(addYears(asOf, -years), 1);
  const attributed = attributeReoffences(releases, reoffences);
  let released = 0;
  let reoffended = 0;
  releases.forEach((r, i) => {
    if (compareLocalDate(r.releaseDate, from) < 0 || compareLocalDate(r.releaseDate, asOf) > 0) return;
    released += 1;
    const offence = attributed[i];
    if (offence !== null && compareLocalDate(offence, asOf) <= 0 && compareLocalDate(offence, addYears(r.releaseDate, years)) <= 0) reoffended += 1;
  });
  return { released, reoffended };
}

/** K-RS8 当年内重新犯罪率: releases in year Y, and those re-offending in Y (after that release). */
export function sameYearReoffending(releases: readonly ReleaseRecord[], reoffences: readonly ReoffenceRecord[], year: number): CohortRate {
  const attributed = attributeReoffences(releases, reoffences);
  let released = 0;
  let reoffended = 0;
  releases.forEach((r, i) => {
    if (yearOf(r.releaseDate) !== year) return;
    released += 1;
    const offence = attributed[i];
    if (offence !== null && yearOf(offence) === year) reoffended += 1;
  });
  return { released, reoffended };
}

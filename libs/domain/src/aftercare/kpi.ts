import { LocalDate, addMonths, compareLocalDate, isBefore, minLocalDate, monthRange, quarterRange } from '../calendar';
import { Ratio, ratio } from '../kpi';
import { monthsOwed, quartersOwed } from './rules';

/** What K-AC1 … K-AC4 are computed from, for one station (town) or the city over one period. */
export interface AftercareCounts {
  /** K-AC1: notices received in the period, and those whose person was contacted within 7 days (cfg) of release. */
  notices: number;
  contactedInTime: number;
  /** K-AC2: subjects in aftercare in the period, and those without relapse in the last 12 months (or since release). */
  subjects: number;
  abstinent: number;
  /** K-AC3: subject-months owed a PHONE follow-up and those with one; subject-quarters owed a visit and those with one. */
  subjectMonths: number;
  subjectMonthsPhoned: number;
  subjectQuarters: number;
  subjectQuartersVisited: number;
  /** K-AC4: success cases named in the year, and the number required (1, or 2 at ≥ 10 subjects). */
  successCases: number;
  successCasesRequired: number;
}

export const EMPTY_AFTERCARE_COUNTS: Readonly<AftercareCounts> = Object.freeze({
  notices: 0,
  contactedInTime: 0,
  subjects: 0,
  abstinent: 0,
  subjectMonths: 0,
  subjectMonthsPhoned: 0,
  subjectQuarters: 0,
  subjectQuartersVisited: 0,
  successCases: 0,
  successCasesRequired: 0,
});

/** The city is the sum of its stations (K-AC4's "required" too: each station owes its own). */
export function addAftercareCounts(a: AftercareCounts, b: AftercareCounts): AftercareCounts {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof AftercareCounts)[]) out[k] = a[k] + b[k];
  return out;
}

/**
 * AC-6 / K-AC4: a station names ≥ 1 success case a year, ≥ 2 when it has ≥ 10 subjects; a station
 * with no subject that year owes none (its K-AC4 is "not available", not 0).
 */
export function successCasesRequired(subjects: number): number {
  if (subjects <= 0) return 0;
  return subjects >= 10 ? 2 : 1;
}

/** AC-6: how many success cases a station still owes for the year (0 when it has enough). */
export function successCasesShort(subjects: number, named: number): number {
  return Math.max(0, successCasesRequired(subjects) - named);
}

/**
 * AC-6: the Q4 reminder (BLUE) is due from the first day of the year's fourth quarter (10-01,
 * Asia/Shanghai) until the year ends; `today` outside that window asks for no reminder of `year`.
 */
export function successCaseReminderDue(year: number, today: string): boolean {
  return today >= `${year}-10-01` && today <= `${year}-12-31`;
}

export interface AftercareIndicatorDef {
  code: string;
  label: string;
  target: number;
  higherIsBetter: boolean;
  compute(c: AftercareCounts): Ratio;
}

/** K-AC1 … K-AC4 (docs/domain.md "Indicators"); K-AC3 is given as its two halves (phone, visit). */
export const AFTERCARE_INDICATORS: readonly AftercareIndicatorDef[] = Object.freeze([
  { code: 'K-AC1', label: '照管率', target: 0.9, higherIsBetter: true, compute: (c) => ratio(c.contactedInTime, c.notices, 0.9) },
  { code: 'K-AC2', label: '操守保持率', target: 0.5, higherIsBetter: true, compute: (c) => ratio(c.abstinent, c.subjects, 0.5) },
  { code: 'K-AC3-PHONE', label: '月度电话回访率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.subjectMonthsPhoned, c.subjectMonths, 1) },
  { code: 'K-AC3-VISIT', label: '季度见面回访率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.subjectQuartersVisited, c.subjectQuarters, 1) },
  { code: 'K-AC4', label: '典型培树', target: 1, higherIsBetter: true, compute: (c) => ratio(c.successCases, c.successCasesRequired, 1) },
]);

export interface AftercareIndicatorValue extends Ratio {
  code: string;
  label: string;
}

export function aftercareIndicators(c: AftercareCounts): AftercareIndicatorValue[] {
  return AFTERCARE_INDICATORS.map((d) => ({ code: d.code, label: d.label, ...d.compute(c) }));
}

/** K-AC2: no relapse in the 12 months up to `asOf` (or since release, when that is shorter): relapses on or before `asOf` after `asOf` − 12 months. */
export function abstinentOn(relapseDates: readonly LocalDate[], asOf: LocalDate, months = 12): boolean {
  const from = addMonths(asOf, -months);
  return !relapseDates.some((d) => isBefore(from, d) && compareLocalDate(d, asOf) <= 0);
}

/** What K-AC3 needs of one case: its enrolment and closure, and the periods it had a follow-up for. */
export interface CaseFollowUpFacts {
  enrolledOn: LocalDate;
  closedOn: LocalDate | null;
  /** `YYYY-MM` of its PHONE follow-ups. */
  phonedMonths: ReadonlySet<string>;
  /** `YYYY-Qn` of its FACE_TO_FACE follow-ups. */
  visitedQuarters: ReadonlySet<string>;
}

export type FollowUpCoverage = Pick<AftercareCounts, 'subjectMonths' | 'subjectMonthsPhoned' | 'subjectQuarters' | 'subjectQuartersVisited'>;

/**
 * K-AC3 over a period: the subject-months owed a PHONE follow-up (AC-3: from the month of enrolment
 * to the month of closure) that lie in the period and have begun by `today`, and those with one;
 * the same for subject-quarters and visits, a quarter counting when it overlaps the period (a
 * month's report counts the quarter it is in).
 */
export function followUpCoverage(cases: readonly CaseFollowUpFacts[], period: { start: LocalDate; end: LocalDate }, today: LocalDate): FollowUpCoverage {
  const out: FollowUpCoverage = { subjectMonths: 0, subjectMonthsPhoned: 0, subjectQuarters: 0, subjectQuartersVisited: 0 };
  const asOf = minLocalDate(period.end, today);
  for (const c of cases) {
    if (isBefore(asOf, c.enrolledOn)) continue;
    for (const m of monthsOwed(c.enrolledOn, asOf, c.closedOn)) {
      const r = monthRange(m);
      if (isBefore(r.end, period.start)) continue;
      out.subjectMonths += 1;
      if (c.phonedMonths.has(m)) out.subjectMonthsPhoned += 1;
    }
    for (const q of quartersOwed(c.enrolledOn, asOf, c.closedOn)) {
      const r = quarterRange(q);
      if (isBefore(r.end, period.start)) continue;
      out.subjectQuarters += 1;
      if (c.visitedQuarters.has(q)) out.subjectQuartersVisited += 1;
    }
  }
  return out;
}

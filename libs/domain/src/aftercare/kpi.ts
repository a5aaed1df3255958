import { Ratio, ratio } from '../kpi';

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

/** AC-6 / K-AC4: a station names ≥ 1 success case a year, ≥ 2 when it has ≥ 10 subjects. */
export function successCasesRequired(subjects: number): number {
  return subjects >= 10 ? 2 : 1;
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

import { Ratio, ratio } from '../kpi';

/** What the resettlement indicators K-RS1 … K-RS12 are computed from, for one town or the city over one period. */
export interface ResettlementCounts {
  /** Notices whose verification fell due in the period, and those verified before release (K-RS1). */
  noticesDue: number;
  verifiedBeforeRelease: number;
  /** Notices received in the period, and those whose receipt was sent (K-RS2). */
  notices: number;
  receiptsSent: number;
  /** Key persons released in the period, and those picked up (K-RS3), handed to police (K-RS5). */
  keyReleased: number;
  keyPickedUp: number;
  keyHandedToPolice: number;
  /** General (non-key) persons released in the period, and those picked up (K-RS4). */
  generalReleased: number;
  generalPickedUp: number;
  /** Agreements required (key pre-release persons + applicants), and those signed (K-RS6). */
  agreementsRequired: number;
  agreementsSigned: number;
  /** K-RS7: releases in the 5 years up to the period's last day, and those re-offending (cohort method). */
  fiveYearReleased: number;
  fiveYearReoffended: number;
  /** K-RS8 … K-RS10: releases in the period's year; re-offended that year; resettled; given an employment service. */
  yearReleased: number;
  yearReoffended: number;
  yearResettled: number;
  yearEmploymentServed: number;
  /** K-RS11: social workers, and the number needed (ceil(subjects / 50)). */
  socialWorkers: number;
  socialWorkersNeeded: number;
  /** K-RS12: video visits confirmed in the period, and those completed. */
  visitsConfirmed: number;
  visitsCompleted: number;
}

export const EMPTY_RESETTLEMENT_COUNTS: Readonly<ResettlementCounts> = Object.freeze({
  noticesDue: 0,
  verifiedBeforeRelease: 0,
  notices: 0,
  receiptsSent: 0,
  keyReleased: 0,
  keyPickedUp: 0,
  keyHandedToPolice: 0,
  generalReleased: 0,
  generalPickedUp: 0,
  agreementsRequired: 0,
  agreementsSigned: 0,
  fiveYearReleased: 0,
  fiveYearReoffended: 0,
  yearReleased: 0,
  yearReoffended: 0,
  yearResettled: 0,
  yearEmploymentServed: 0,
  socialWorkers: 0,
  socialWorkersNeeded: 0,
  visitsConfirmed: 0,
  visitsCompleted: 0,
});

/** The city is the sum of its towns (K-RS11's "needed" too: each town needs its own). */
export function addResettlementCounts(a: ResettlementCounts, b: ResettlementCounts): ResettlementCounts {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof ResettlementCounts)[]) out[k] = a[k] + b[k];
  return out;
}

export interface ResettlementIndicatorDef {
  code: string;
  label: string;
  /** Fraction (1 = 100%), or for K-RS11 a ratio ≥ 1; null when there is no fixed target. */
  target: number | null;
  higherIsBetter: boolean;
  compute(c: ResettlementCounts): Ratio;
}

/** K-RS1 … K-RS12 (docs/domain.md "Indicators"), in table order. */
export const RESETTLEMENT_INDICATORS: readonly ResettlementIndicatorDef[] = Object.freeze([
  { code: 'K-RS1', label: '基本信息核查率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.verifiedBeforeRelease, c.noticesDue, 1) },
  { code: 'K-RS2', label: '衔接回执发送率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.receiptsSent, c.notices, 1) },
  { code: 'K-RS3', label: '重点对象接送率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.keyPickedUp, c.keyReleased, 1) },
  { code: 'K-RS4', label: '一般对象接送率', target: 0.7, higherIsBetter: true, compute: (c) => ratio(c.generalPickedUp, c.generalReleased, 0.7) },
  { code: 'K-RS5', label: '社区管控率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.keyHandedToPolice, c.keyReleased, 1) },
  { code: 'K-RS6', label: '协议签订率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.agreementsSigned, c.agreementsRequired, 1) },
  { code: 'K-RS7', label: '五年内重新犯罪率', target: null, higherIsBetter: false, compute: (c) => ratio(c.fiveYearReoffended, c.fiveYearReleased, null) },
  { code: 'K-RS8', label: '当年内重新犯罪率', target: null, higherIsBetter: false, compute: (c) => ratio(c.yearReoffended, c.yearReleased, null) },
  { code: 'K-RS9', label: '当年内安置率', target: null, higherIsBetter: true, compute: (c) => ratio(c.yearResettled, c.yearReleased, null) },
  { code: 'K-RS10', label: '当年内就业服务率', target: null, higherIsBetter: true, compute: (c) => ratio(c.yearEmploymentServed, c.yearReleased, null) },
  { code: 'K-RS11', label: '社工配比', target: 1, higherIsBetter: true, compute: (c) => ratio(c.socialWorkers, c.socialWorkersNeeded, 1) },
  { code: 'K-RS12', label: '会见成功率', target: null, higherIsBetter: true, compute: (c) => ratio(c.visitsCompleted, c.visitsConfirmed, null) },
]);

export interface ResettlementIndicatorValue extends Ratio {
  code: string;
  label: string;
}

export function resettlementIndicators(c: ResettlementCounts): ResettlementIndicatorValue[] {
  return RESETTLEMENT_INDICATORS.map((d) => ({ code: d.code, label: d.label, ...d.compute(c) }));
}

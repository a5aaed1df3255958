import { DomainError, DomainErrorCode } from '../errors';
import { LocalDate, YearMonth, monthRange, quarterRange } from '../calendar';
import { Ratio, ratio } from '../kpi';

/** The period an indicator is computed for (docs/domain.md "Indicators": a month, quarter or year). */
export enum PeriodKind {
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
  YEAR = 'YEAR',
}

export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = {
  [PeriodKind.MONTH]: '月度',
  [PeriodKind.QUARTER]: '季度',
  [PeriodKind.YEAR]: '年度',
};

export interface PeriodRange {
  kind: PeriodKind;
  /** 2025-06, 2025-Q2 or 2025. */
  label: string;
  /** First and last day, inclusive. */
  start: LocalDate;
  end: LocalDate;
}

/**
 * The days of a period. `number` is the month (1–12) or quarter (1–4); ignored for YEAR.
 * @throws DomainError(VALIDATION_FAILED) for a year outside 2000–2100 or a number out of range.
 */
export function periodRange(kind: PeriodKind, year: number, number?: number | null): PeriodRange {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('period.year', `year must be 2000–2100, got ${year}`);
  const yyyy = String(year);
  if (kind === PeriodKind.YEAR) return { kind, label: yyyy, start: `${yyyy}-01-01`, end: `${yyyy}-12-31` };
  const max = kind === PeriodKind.MONTH ? 12 : 4;
  if (number === undefined || number === null || !Number.isInteger(number) || number < 1 || number > max) {
    throw invalid('period.number', `${kind} number must be 1–${max}, got ${number ?? 'nothing'}`);
  }
  if (kind === PeriodKind.MONTH) {
    const label: YearMonth = `${yyyy}-${String(number).padStart(2, '0')}`;
    return { kind, label, ...monthRange(label) };
  }
  const label = `${yyyy}-Q${number}`;
  return { kind, label, ...quarterRange(label) };
}

/** `YYYY-MM` → the month's period; anything else is refused (the export's `month` parameter). */
export function parseMonthPeriod(raw: string | undefined | null, field = 'month'): PeriodRange {
  const m = /^(\d{4})-(\d{2})$/.exec(raw ?? '');
  if (!m) throw invalid(field, `${field} must be YYYY-MM, got "${raw ?? ''}"`);
  return periodRange(PeriodKind.MONTH, Number(m[1]), Number(m[2]));
}

function invalid(field: string, message: string): DomainError {
  return new DomainError(DomainErrorCode.VALIDATION_FAILED, `${message} / 统计期间无效`, { field });
}

/** What the correction indicators are computed from, for one town or the city over one period. */
export interface CorrectionCounts {
  /** Subjects ACTIVE on the last day of the period, and those among them with an approved plan (K-CC1). */
  activeSubjects: number;
  activeWithPlan: number;
  /** Active subjects under an approved electronic location during the period (K-CC2). */
  activeMonitored: number;
  /** Subjects in need of assistance, and those given assistance (K-CC3). */
  inNeed: number;
  assisted: number;
  /** Subjects whose report-in deadline fell in the period, and those who reported in by it (K-CC4). */
  reportDue: number;
  reportedOnTime: number;
  /** Subjects under correction at some time in the period; those who absconded or re-offended in it (K-CC5). */
  underCorrection: number;
  abscondedOrReoffended: number;
  /** Investigation assessments completed in the period, and those completed by their due date (K-CC6). */
  assessmentsCompleted: number;
  assessmentsOnTime: number;
  /** Towns, and towns with a working community-correction centre (K-CC7). */
  towns: number;
  townsWithCentre: number;
  /** Case reports (案例报送) of the period's months, and those the city accepted (录用) (K-CC8, CC-28). */
  casesReported: number;
  casesAccepted: number;
  /** CC-3: enrolments whose notice arrived in the period, and those within the 5 days (通知及时率). */
  noticesReceived: number;
  noticesOnTime: number;
  /** CC-29 / K-DQ1: records whose event fell in the period; entered on time, complete, never corrected. */
  dataRecords: number;
  dataOnTime: number;
  dataComplete: number;
  dataUncorrected: number;
}

export const EMPTY_CORRECTION_COUNTS: Readonly<CorrectionCounts> = Object.freeze({
  activeSubjects: 0,
  activeWithPlan: 0,
  activeMonitored: 0,
  inNeed: 0,
  assisted: 0,
  reportDue: 0,
  reportedOnTime: 0,
  underCorrection: 0,
  abscondedOrReoffended: 0,
  assessmentsCompleted: 0,
  assessmentsOnTime: 0,
  towns: 0,
  townsWithCentre: 0,
  casesReported: 0,
  casesAccepted: 0,
  noticesReceived: 0,
  noticesOnTime: 0,
  dataRecords: 0,
  dataOnTime: 0,
  dataComplete: 0,
  dataUncorrected: 0,
});

/** Sum of counts (the city is the sum of its towns). */
export function addCorrectionCounts(a: CorrectionCounts, b: CorrectionCounts): CorrectionCounts {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof CorrectionCounts)[]) out[k] = a[k] + b[k];
  return out;
}

export interface CorrectionIndicatorDef {
  code: string;
  label: string;
  /** English name, for the bilingual export headers (the indicators added after K-CC8 carry one). */
  en?: string;
  /** Fraction (1 = 100%); null when the indicator is only reported. */
  target: number | null;
  higherIsBetter: boolean;
  compute(c: CorrectionCounts): Ratio;
}

/**
 * K-CC1 … K-CC8 (docs/domain.md "Indicators"), in table order, then K-CC3N (CC-3: enrolment notices within
 * 5 days, issue 7 item 6) and K-DQ1 (CC-29: data entered on time / complete / never corrected).
 */
export const CORRECTION_INDICATORS: readonly CorrectionIndicatorDef[] = Object.freeze([
  { code: 'K-CC1', label: '个案矫正率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.activeWithPlan, c.activeSubjects, 1) },
  { code: 'K-CC2', label: '电子定位率', target: null, higherIsBetter: true, compute: (c) => ratio(c.activeMonitored, c.activeSubjects, null) },
  { code: 'K-CC3', label: '救助帮扶率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.assisted, c.inNeed, 1) },
  { code: 'K-CC4', label: '报到及时率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.reportedOnTime, c.reportDue, 1) },
  { code: 'K-CC5', label: '脱管/重新犯罪率', target: 0, higherIsBetter: false, compute: (c) => ratio(c.abscondedOrReoffended, c.underCorrection, 0) },
  { code: 'K-CC6', label: '调查评估按期率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.assessmentsOnTime, c.assessmentsCompleted, 1) },
  { code: 'K-CC7', label: '社区矫正中心建设率', target: 1, higherIsBetter: true, compute: (c) => ratio(c.townsWithCentre, c.towns, 1) },
  { code: 'K-CC8', label: '案例录用率', target: null, higherIsBetter: true, compute: (c) => ratio(c.casesAccepted, c.casesReported, null) },
  { code: 'K-CC3N', label: '通知及时率', en: 'on-time enrolment notice', target: 1, higherIsBetter: true, compute: (c) => ratio(c.noticesOnTime, c.noticesReceived, 1) },
  { code: 'K-DQ1-TIMELY', label: '数据及时率', en: 'data entered on time', target: 1, higherIsBetter: true, compute: (c) => ratio(c.dataOnTime, c.dataRecords, 1) },
  { code: 'K-DQ1-COMPLETE', label: '数据完整率', en: 'data complete', target: 1, higherIsBetter: true, compute: (c) => ratio(c.dataComplete, c.dataRecords, 1) },
  { code: 'K-DQ1-ACCURATE', label: '数据准确率', en: 'data without later correction', target: 1, higherIsBetter: true, compute: (c) => ratio(c.dataUncorrected, c.dataRecords, 1) },
]);

export interface CorrectionIndicatorValue extends Ratio {
  code: string;
  label: string;
  en?: string;
}

/** K-CC1 … K-CC7 from the counts of one town or the city. */
export function correctionIndicators(c: CorrectionCounts): CorrectionIndicatorValue[] {
  return CORRECTION_INDICATORS.map((d) => ({ code: d.code, label: d.label, ...(d.en ? { en: d.en } : {}), ...d.compute(c) }));
}

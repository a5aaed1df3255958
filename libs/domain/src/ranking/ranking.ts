import type { LocalDate } from '../calendar/local-date';
import type { IndicatorSnapshotPayload } from '../events/catalogue';
import { CORRECTION_INDICATORS, PeriodKind, PeriodRange, periodRange } from '../correction/kpi';
import { RESETTLEMENT_INDICATORS } from '../resettlement/kpi';
import { AFTERCARE_INDICATORS } from '../aftercare/kpi';

/**
 * The town ranking (考评排名, issue 11 item 6; docs/domain.md "The town ranking as built"): a weighted
 * score of the K-… indicators per town over correction, resettlement and aftercare.
 */

/** The workstreams whose indicators are ranked. */
export enum RankingWorkstream {
  CORRECTION = 'CORRECTION',
  RESETTLEMENT = 'RESETTLEMENT',
  AFTERCARE = 'AFTERCARE',
}

export const RANKING_WORKSTREAM_LABELS: Record<RankingWorkstream, string> = {
  [RankingWorkstream.CORRECTION]: '社区矫正',
  [RankingWorkstream.RESETTLEMENT]: '安置帮教',
  [RankingWorkstream.AFTERCARE]: '后续照管',
};

/** Why an indicator did or did not count in a town's score. */
export enum IndicatorAvailability {
  /** It has a value: it counts with its weight. */
  AVAILABLE = 'AVAILABLE',
  /** Its workstream published it, but there was nothing to measure (denominator 0): left out. */
  NO_DATA = 'NO_DATA',
  /** Its workstream has not published it for the period (not built yet, or no snapshot): left out, never 0. */
  NOT_YET_AVAILABLE = 'NOT_YET_AVAILABLE',
}

export const INDICATOR_AVAILABILITY_LABELS: Record<IndicatorAvailability, string> = {
  [IndicatorAvailability.AVAILABLE]: '已计入',
  [IndicatorAvailability.NO_DATA]: '无可统计数据',
  [IndicatorAvailability.NOT_YET_AVAILABLE]: '暂未提供',
};

export interface RankedIndicatorDef {
  code: string;
  label: string;
  workstream: RankingWorkstream;
  /** Fraction (1 = 100%), 0 for "none" (K-CC5), null when only reported. */
  target: number | null;
  higherIsBetter: boolean;
}

/** Every indicator the ranking knows, from the workstreams' own definitions (libs/domain). */
export const RANKED_INDICATORS: readonly RankedIndicatorDef[] = Object.freeze([
  ...CORRECTION_INDICATORS.map((d) => ({ code: d.code, label: d.label, workstream: RankingWorkstream.CORRECTION, target: d.target, higherIsBetter: d.higherIsBetter })),
  ...RESETTLEMENT_INDICATORS.map((d) => ({ code: d.code, label: d.label, workstream: RankingWorkstream.RESETTLEMENT, target: d.target, higherIsBetter: d.higherIsBetter })),
  ...AFTERCARE_INDICATORS.map((d) => ({ code: d.code, label: d.label, workstream: RankingWorkstream.AFTERCARE, target: d.target, higherIsBetter: d.higherIsBetter })),
]);

export function rankedIndicator(code: string): RankedIndicatorDef | undefined {
  return RANKED_INDICATORS.find((d) => d.code === code);
}

/** Indicator code → weight (≥ 0; 0 or absent = not scored). */
export type RankingWeights = Readonly<Record<string, number>>;

/**
 * The default weights *(cfg)*, used for every year the configuration (`RANKING_WEIGHTS`) does not name.
 * Indicators that are only reported (K-CC2 电子定位率) weigh 0.
 */
export const DEFAULT_RANKING_WEIGHTS: RankingWeights = Object.freeze({
  'K-CC1': 10,
  'K-CC3': 6,
  'K-CC4': 10,
  'K-CC5': 10,
  'K-CC6': 6,
  'K-CC7': 4,
  'K-CC8': 4,
  'K-CC3N': 4,
  'K-DQ1-TIMELY': 2,
  'K-DQ1-COMPLETE': 2,
  'K-DQ1-ACCURATE': 2,
  'K-RS1': 6,
  'K-RS2': 4,
  'K-RS3': 8,
  'K-RS4': 4,
  'K-RS5': 8,
  'K-RS6': 4,
  'K-RS7': 4,
  'K-RS8': 4,
  'K-RS9': 3,
  'K-RS10': 3,
  'K-RS11': 2,
  'K-RS12': 2,
  'K-AC1': 6,
  'K-AC2': 4,
  'K-AC3-PHONE': 3,
  'K-AC3-VISIT': 3,
  'K-AC4': 2,
});

/** Per-year weights: `{ "2027": { "K-CC1": 12, … }, "*": { … } }`; a year not named uses "*", else the defaults. */
export type RankingWeightsByYear = Readonly<Record<string, RankingWeights>>;

/**
 * Parses and checks the configured weights (a JSON object of years or "*" → code → weight ≥ 0, codes the
 * ranking knows). Empty text = the defaults for every year.
 * @throws RangeError naming what is wrong.
 */
export function parseRankingWeights(raw: string | undefined | null): RankingWeightsByYear {
  if (!raw || raw.trim() === '') return Object.freeze({});
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new RangeError('ranking weights: not JSON');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new RangeError('ranking weights: expected an object of years');
  const out: Record<string, RankingWeights> = {};
  for (const [year, weights] of Object.entries(parsed as Record<string, unknown>)) {
    if (year !== '*' && !/^\d{4}$/.test(year)) throw new RangeError(`ranking weights: "${year}" is not a year or "*"`);
    if (!weights || typeof weights !== 'object' || Array.isArray(weights)) throw new RangeError(`ranking weights: ${year} is not an object`);
    const w: Record<string, number> = {};
    for (const [code, n] of Object.entries(weights as Record<string, unknown>)) {
      if (!rankedIndicator(code)) throw new RangeError(`ranking weights: unknown indicator ${code}`);
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new RangeError(`ranking weights: ${year} ${code} must be a number ≥ 0`);
      w[code] = n;
    }
    out[year] = Object.freeze(w);
  }
  return Object.freeze(out);
}

export function weightsForYear(byYear: RankingWeightsByYear, year: number): RankingWeights {
  return byYear[String(year)] ?? byYear['*'] ?? DEFAULT_RANKING_WEIGHTS;
}

/**
 * How well one indicator value did, 0…1: higher-is-better with a target T > 0: min(value / T, 1);
 * without a target (or T = 0): min(value, 1); lower-is-better: max(0, 1 − value).
 */
export function attainment(def: Pick<RankedIndicatorDef, 'target' | 'higherIsBetter'>, value: number): number {
  if (!def.higherIsBetter) return Math.max(0, 1 - value);
  if (def.target !== null && def.target > 0) return Math.min(value / def.target, 1);
  return Math.min(Math.max(value, 0), 1);
}

/** One indicator of one town as a workstream published it (value null: nothing to measure). */
export interface PublishedIndicator {
  code: string;
  value: number | null;
}

export interface TownIndicatorInput {
  town: string;
  /** The indicators published for the town; an indicator not in the list is "not yet available". */
  indicators: readonly PublishedIndicator[];
}

export interface ScoredIndicator {
  code: string;
  workstream: RankingWorkstream;
  weight: number;
  value: number | null;
  availability: IndicatorAvailability;
  /** 0…1 for an available indicator, else null. */
  attainment: number | null;
}

export interface TownScore {
  town: string;
  /** 0…100, rounded to 2 decimals; null when no weighted indicator was available. */
  score: number | null;
  /** 1 = best; equal scores share a rank (1, 2, 2, 4); null when not scored. */
  rank: number | null;
  /** 通报: among the bottom N scored towns (ties at the boundary included). */
  flaggedForNotice: boolean;
  /** Σ weights available / Σ weights (how much of the scheme the score rests on), 0…1. */
  coverage: number;
  indicators: ScoredIndicator[];
}

/**
 * Scores and ranks towns. For town t, over the indicators i with weight w_i > 0:
 * score(t) = 100 × Σ_{i available} w_i · a_i / Σ_{i available} w_i, where a_i = `attainment`; an
 * indicator is available when its workstream published a value for the town. The weights of the
 * others are left out of both sums (renormalised), never counted as 0. Towns are ranked by score
 * descending (equal scores, rounded to 2 decimals, share a rank); the bottom `bottomN` scored towns
 * are flagged for notice — every town whose score is at most the `bottomN`-th lowest. Unscored towns
 * (no weighted indicator available) come last, unranked and unflagged, in town order.
 */
export function rankTowns(towns: readonly TownIndicatorInput[], weights: RankingWeights, bottomN: number): TownScore[] {
  const scored = RANKED_INDICATORS.filter((d) => (weights[d.code] ?? 0) > 0);
  const totalWeight = scored.reduce((s, d) => s + (weights[d.code] ?? 0), 0);
  const rows: TownScore[] = towns.map((t) => {
    const published = new Map(t.indicators.map((i) => [i.code, i.value]));
    let weightAvailable = 0;
    let weighted = 0;
    const indicators: ScoredIndicator[] = scored.map((d) => {
      const weight = weights[d.code] ?? 0;
      if (!published.has(d.code)) return { code: d.code, workstream: d.workstream, weight, value: null, availability: IndicatorAvailability.NOT_YET_AVAILABLE, attainment: null };
      const value = published.get(d.code) ?? null;
      if (value === null) return { code: d.code, workstream: d.workstream, weight, value: null, availability: IndicatorAvailability.NO_DATA, attainment: null };
      const a = attainment(d, value);
      weightAvailable += weight;
      weighted += weight * a;
      return { code: d.code, workstream: d.workstream, weight, value, availability: IndicatorAvailability.AVAILABLE, attainment: a };
    });
    const score = weightAvailable > 0 ? Math.round((10000 * weighted) / weightAvailable) / 100 : null;
    return { town: t.town, score, rank: null, flaggedForNotice: false, coverage: totalWeight > 0 ? weightAvailable / totalWeight : 0, indicators };
  });
  const ranked = rows.filter((r) => r.score !== null).sort((a, b) => (b.score as number) - (a.score as number) || a.town.localeCompare(b.town));
  ranked.forEach((r, i) => {
    r.rank = i > 0 && ranked[i - 1].score === r.score ? (ranked[i - 1].rank as number) : i + 1;
  });
  if (bottomN > 0 && ranked.length > 0) {
    const threshold = ranked[Math.max(0, ranked.length - bottomN)].score as number;
    for (const r of ranked) r.flaggedForNotice = (r.score as number) <= threshold;
  }
  const unscored = rows.filter((r) => r.score === null).sort((a, b) => a.town.localeCompare(b.town));
  return [...ranked, ...unscored];
}

/**
 * The periods a workstream publishes its snapshot for on `today`: the month, quarter and year that
 * ended last (a month / quarter / year is closed from its next day on).
 */
export function lastClosedPeriods(today: LocalDate): PeriodRange[] {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  const q = Math.ceil(m / 3);
  const month = m === 1 ? periodRange(PeriodKind.MONTH, y - 1, 12) : periodRange(PeriodKind.MONTH, y, m - 1);
  const quarter = q === 1 ? periodRange(PeriodKind.QUARTER, y - 1, 4) : periodRange(PeriodKind.QUARTER, y, q - 1);
  return [month, quarter, periodRange(PeriodKind.YEAR, y - 1)];
}

/** A workstream's indicator snapshot event payload: counts per town and indicator, nothing about a person. */
export function indicatorSnapshot(
  period: PeriodRange,
  towns: ReadonlyArray<{ town: string; indicators: ReadonlyArray<{ code: string; numerator: number; denominator: number }> }>,
): IndicatorSnapshotPayload {
  return {
    periodKind: period.kind,
    period: period.label,
    start: period.start,
    end: period.end,
    towns: towns.map((t) => ({ town: t.town, indicators: t.indicators.map((i) => ({ code: i.code, numerator: i.numerator, denominator: i.denominator })) })),
  };
}

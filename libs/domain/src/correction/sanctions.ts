import { compareLocalDate, type LocalDate } from '../calendar/local-date';

/** CC-11 the sanctions ladder, lowest first. */
export enum SanctionKind {
  ADMONITION = 'ADMONITION',
  WARNING = 'WARNING',
  REVOCATION_PROPOSAL = 'REVOCATION_PROPOSAL',
}

export const SANCTION_KIND_LABELS: Record<SanctionKind, string> = {
  [SanctionKind.ADMONITION]: '训诫',
  [SanctionKind.WARNING]: '警告',
  [SanctionKind.REVOCATION_PROPOSAL]: '提请撤销缓刑/假释或收监执行',
};

const RANK: Record<SanctionKind, number> = {
  [SanctionKind.ADMONITION]: 1,
  [SanctionKind.WARNING]: 2,
  [SanctionKind.REVOCATION_PROPOSAL]: 3,
};

/** CC-11 thresholds *(cfg)*. */
export interface SanctionThresholds {
  /** Late report/check-in or lost contact up to this many days → 训诫; more → 警告 (default 10). */
  admonitionMaxDays: number;
  /** Lost contact more than this many days → propose revocation (default 30, "more than 1 month"). */
  revocationMinDaysExclusive: number;
  /** This many 训诫 (警告) without improvement → 警告 (revocation proposal) (default 2). */
  repeatCount: number;
}

export const DEFAULT_SANCTION_THRESHOLDS: SanctionThresholds = Object.freeze({
  admonitionMaxDays: 10,
  revocationMinDaysExclusive: 30,
  repeatCount: 2,
});

export interface SanctionRecord {
  kind: SanctionKind;
  decidedOn: LocalDate;
}

export interface SanctionSuggestion {
  kind: SanctionKind;
  label: string;
  /** Why, in Chinese, for the officer. */
  reason: string;
}

function suggestion(kind: SanctionKind, reason: string): SanctionSuggestion {
  return { kind, label: SANCTION_KIND_LABELS[kind], reason: `${reason}，建议${SANCTION_KIND_LABELS[kind]}` };
}

/**
 * CC-11: what is not yet answered by a sanction. `LATE`: a report-in (CC-4) or a periodic
 * check-in (CC-9) made late, or a check-in overdue now — at most 警告, however late. `LOST_CONTACT`:
 * the subject cannot be reached (CC-2 ABSCONDED, 脱离监管) — more than a month → propose revocation.
 */
export type SanctionLapseKind = 'LATE' | 'LOST_CONTACT';

export interface SanctionLapse {
  kind: SanctionLapseKind;
  days: number;
}

/**
 * CC-11: the next step of the ladder the system suggests (an officer decides and records), or null.
 * - a late report / check-in ≤ admonitionMaxDays (and > 0) → 训诫; more → 警告 (lateness alone never
 *   goes further: revocation is for lost contact or repeated warnings);
 * - lost contact ≤ admonitionMaxDays → 训诫; more → 警告; more than revocationMinDaysExclusive
 *   (one month) → propose revocation;
 * - repeatCount 训诫 without improvement (since the last 警告) → 警告; repeatCount 警告 without improvement
 *   → propose revocation.
 * "Without improvement": only sanctions decided on or after `improvementSince` count (none before it).
 * `lapse` is the worst lapse not yet answered by a sanction (null or 0 days when none).
 * The highest applicable step wins; nothing is suggested once a revocation proposal is on record
 * (after any improvement), nor a step no higher than one already taken for the same reason.
 */
export function suggestNextSanction(
  history: readonly SanctionRecord[],
  lapse: SanctionLapse | null,
  improvementSince?: LocalDate | null,
  thresholds: SanctionThresholds = DEFAULT_SANCTION_THRESHOLDS,
): SanctionSuggestion | null {
  const counted = [...history]
    .filter((s) => !improvementSince || compareLocalDate(s.decidedOn, improvementSince) >= 0)
    .sort((a, b) => compareLocalDate(a.decidedOn, b.decidedOn));
  if (counted.some((s) => s.kind === SanctionKind.REVOCATION_PROPOSAL)) return null;

  const candidates: SanctionSuggestion[] = [];
  const days = Math.max(0, Math.floor(lapse?.days ?? 0));
  const what = lapse?.kind === 'LOST_CONTACT' ? '脱离监管' : '迟报';
  if (lapse?.kind === 'LOST_CONTACT' && days > thresholds.revocationMinDaysExclusive) {
    candidates.push(suggestion(SanctionKind.REVOCATION_PROPOSAL, `脱离监管${days}日，超过${thresholds.revocationMinDaysExclusive}日`));
  } else if (days > thresholds.admonitionMaxDays) {
    candidates.push(suggestion(SanctionKind.WARNING, `${what}${days}日，超过${thresholds.admonitionMaxDays}日`));
  } else if (days > 0) {
    candidates.push(suggestion(SanctionKind.ADMONITION, `${what}${days}日，未超过${thresholds.admonitionMaxDays}日`));
  }

  const warnings = counted.filter((s) => s.kind === SanctionKind.WARNING);
  const lastWarningOn = warnings.length ? warnings[warnings.length - 1].decidedOn : null;
  const admonitionsSinceWarning = counted.filter(
    (s) => s.kind === SanctionKind.ADMONITION && (!lastWarningOn || compareLocalDate(s.decidedOn, lastWarningOn) > 0),
  );
  if (warnings.length >= thresholds.repeatCount) {
    candidates.push(suggestion(SanctionKind.REVOCATION_PROPOSAL, `已受警告${warnings.length}次，仍未改正`));
  }
  if (admonitionsSinceWarning.length >= thresholds.repeatCount) {
    candidates.push(suggestion(SanctionKind.WARNING, `已受训诫${admonitionsSinceWarning.length}次，仍未改正`));
  }
  if (candidates.length === 0) return null;
  return candidates.reduce((best, c) => (RANK[c.kind] > RANK[best.kind] ? c : best));
}

/** True when `kind` is higher on the ladder than `than` (null = nothing). */
export function isHigherSanction(kind: SanctionKind, than: SanctionKind | null): boolean {
  return than === null || RANK[kind] > RANK[than];
}

import { compareLocalDate, type LocalDate } from '../calendar/local-date';
import { DomainError, DomainErrorCode } from '../errors/domain-error';

/**
 * CC-17 restorative justice (损害修复) case, in order: opened → suitability assessed →
 * victim participation agreed → plan → community service under supervision → quality
 * evaluated. An unsuitable assessment or a victim who declines closes the case.
 */
export enum RestorativeCaseStatus {
  OPENED = 'OPENED',
  SUITABLE = 'SUITABLE',
  VICTIM_AGREED = 'VICTIM_AGREED',
  PLANNED = 'PLANNED',
  IN_SERVICE = 'IN_SERVICE',
  EVALUATED = 'EVALUATED',
  CLOSED_UNSUITABLE = 'CLOSED_UNSUITABLE',
  CLOSED_VICTIM_DECLINED = 'CLOSED_VICTIM_DECLINED',
}

export const RESTORATIVE_CASE_STATUS_LABELS: Record<RestorativeCaseStatus, string> = {
  [RestorativeCaseStatus.OPENED]: '待评估',
  [RestorativeCaseStatus.SUITABLE]: '适宜修复',
  [RestorativeCaseStatus.VICTIM_AGREED]: '被害人同意参与',
  [RestorativeCaseStatus.PLANNED]: '已制定修复方案',
  [RestorativeCaseStatus.IN_SERVICE]: '社区服务监督中',
  [RestorativeCaseStatus.EVALUATED]: '已质量评估',
  [RestorativeCaseStatus.CLOSED_UNSUITABLE]: '不适宜修复（结案）',
  [RestorativeCaseStatus.CLOSED_VICTIM_DECLINED]: '被害人拒绝参与（结案）',
};

/** CC-17: the quality evaluation grade. */
export enum RestorativeQuality {
  EXCELLENT = 'EXCELLENT',
  GOOD = 'GOOD',
  PASS = 'PASS',
  FAIL = 'FAIL',
}

export const RESTORATIVE_QUALITY_LABELS: Record<RestorativeQuality, string> = {
  [RestorativeQuality.EXCELLENT]: '优秀',
  [RestorativeQuality.GOOD]: '良好',
  [RestorativeQuality.PASS]: '合格',
  [RestorativeQuality.FAIL]: '不合格',
};

export enum RestorativeAction {
  ASSESS_SUITABLE = 'ASSESS_SUITABLE',
  ASSESS_UNSUITABLE = 'ASSESS_UNSUITABLE',
  VICTIM_AGREES = 'VICTIM_AGREES',
  VICTIM_DECLINES = 'VICTIM_DECLINES',
  RECORD_PLAN = 'RECORD_PLAN',
  START_SERVICE = 'START_SERVICE',
  LOG_SERVICE = 'LOG_SERVICE',
  EVALUATE = 'EVALUATE',
}

const MOVES: Record<RestorativeAction, { from: RestorativeCaseStatus[]; to: RestorativeCaseStatus | null }> = {
  [RestorativeAction.ASSESS_SUITABLE]: { from: [RestorativeCaseStatus.OPENED], to: RestorativeCaseStatus.SUITABLE },
  [RestorativeAction.ASSESS_UNSUITABLE]: { from: [RestorativeCaseStatus.OPENED], to: RestorativeCaseStatus.CLOSED_UNSUITABLE },
  [RestorativeAction.VICTIM_AGREES]: { from: [RestorativeCaseStatus.SUITABLE], to: RestorativeCaseStatus.VICTIM_AGREED },
  [RestorativeAction.VICTIM_DECLINES]: { from: [RestorativeCaseStatus.SUITABLE], to: RestorativeCaseStatus.CLOSED_VICTIM_DECLINED },
  [RestorativeAction.RECORD_PLAN]: { from: [RestorativeCaseStatus.VICTIM_AGREED], to: RestorativeCaseStatus.PLANNED },
  [RestorativeAction.START_SERVICE]: { from: [RestorativeCaseStatus.PLANNED], to: RestorativeCaseStatus.IN_SERVICE },
  /** Supervision entries keep the status. */
  [RestorativeAction.LOG_SERVICE]: { from: [RestorativeCaseStatus.IN_SERVICE], to: null },
  [RestorativeAction.EVALUATE]: { from: [RestorativeCaseStatus.IN_SERVICE], to: RestorativeCaseStatus.EVALUATED },
};

/** CC-17: the status after `action`, or ILLEGAL_TRANSITION when the case is not at that step. */
export function nextRestorativeStatus(current: RestorativeCaseStatus, action: RestorativeAction): RestorativeCaseStatus {
  const move = MOVES[action];
  if (!move.from.includes(current)) {
    throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `cannot ${action} a restorative case that is ${current} / 当前环节不能进行此操作`, {
      details: { status: current, action },
    });
  }
  return move.to ?? current;
}

/** CC-17: only an evaluated case graded EXCELLENT may carry the "excellent case" (优秀案例) flag. */
export function assertCanMarkExcellent(status: RestorativeCaseStatus, quality: RestorativeQuality | null): void {
  if (status !== RestorativeCaseStatus.EVALUATED || quality !== RestorativeQuality.EXCELLENT) {
    throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'only an evaluated case graded EXCELLENT can be an excellent case / 仅质量评估为优秀的案件可评为优秀案例', {
      details: { status, quality },
    });
  }
}

/** CC-17 target window: the second half of `year`, 1 July … 31 December. */
export function secondHalfYear(year: number): { from: LocalDate; to: LocalDate } {
  return { from: `${year}-07-01`, to: `${year}-12-31` };
}

/** CC-17 target: every justice office has ≥ 1 excellent case (evaluated) in the second half-year. */
export function excellentTargetMet(excellentDates: readonly LocalDate[], year: number): boolean {
  const { from, to } = secondHalfYear(year);
  return excellentDates.some((d) => compareLocalDate(d, from) >= 0 && compareLocalDate(d, to) <= 0);
}

import { compareLocalDate, daysBetween, parseLocalDate, type LocalDate } from '../calendar/local-date';
import { DomainError, DomainErrorCode } from '../errors/domain-error';

/** CC-13: leave (外出) or change of residence (变更执行地). */
export enum LeaveKind {
  LEAVE = 'LEAVE',
  RESIDENCE_CHANGE = 'RESIDENCE_CHANGE',
}

export const LEAVE_KIND_LABELS: Record<LeaveKind, string> = {
  [LeaveKind.LEAVE]: '外出',
  [LeaveKind.RESIDENCE_CHANGE]: '变更执行地',
};

export enum LeaveStatus {
  REQUESTED = 'REQUESTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  RETURNED = 'RETURNED',
}

export const LEAVE_STATUS_LABELS: Record<LeaveStatus, string> = {
  [LeaveStatus.REQUESTED]: '待审批',
  [LeaveStatus.APPROVED]: '已批准',
  [LeaveStatus.REJECTED]: '不予批准',
  [LeaveStatus.RETURNED]: '已返回',
};

/** Who must approve: the justice office (司法所) or the county bureau (县级社区矫正机构). */
export enum LeaveApprovalLevel {
  JUSTICE_OFFICE = 'JUSTICE_OFFICE',
  COUNTY_BUREAU = 'COUNTY_BUREAU',
}

export const LEAVE_APPROVAL_LEVEL_LABELS: Record<LeaveApprovalLevel, string> = {
  [LeaveApprovalLevel.JUSTICE_OFFICE]: '司法所',
  [LeaveApprovalLevel.COUNTY_BUREAU]: '县级社区矫正机构',
};

/** CC-13 (statute): a leave of up to 7 days is approved by the justice office. */
export const LEAVE_JUSTICE_OFFICE_MAX_DAYS = 7;
/** CC-13 *(cfg)*: one approval covers at most 30 days (the app passes its configured value). */
export const LEAVE_DEFAULT_MAX_DAYS = 30;

/** Calendar days of a leave, both ends counted (2026-12-01 … 2026-12-07 = 7 days). */
export function leaveDays(start: LocalDate, end: LocalDate): number {
  return daysBetween(start, end) + 1;
}

/**
 * CC-13: who must approve a request. Leave up to 7 days → justice office, longer → county bureau;
 * a change of residence → county bureau. One approval covers at most `maxDays` days.
 * @throws DomainError DATE_RANGE_INVALID (end before start) or VALIDATION_FAILED (longer than maxDays).
 */
export function requiredLeaveApprovalLevel(kind: LeaveKind, start: LocalDate, end: LocalDate, maxDays = LEAVE_DEFAULT_MAX_DAYS): LeaveApprovalLevel {
  parseLocalDate(start, 'startDate');
  parseLocalDate(end, 'endDate');
  if (compareLocalDate(end, start) < 0) {
    throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'CC-13: end date is before the start date / 截止日期早于起始日期', { field: 'endDate' });
  }
  if (kind === LeaveKind.RESIDENCE_CHANGE) return LeaveApprovalLevel.COUNTY_BUREAU;
  const days = leaveDays(start, end);
  if (days > maxDays) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      `CC-13: one approval covers at most ${maxDays} days, this leave is ${days} days / 每次批准外出不得超过${maxDays}日`,
      { field: 'endDate', details: { days, maxDays } },
    );
  }
  return days <= LEAVE_JUSTICE_OFFICE_MAX_DAYS ? LeaveApprovalLevel.JUSTICE_OFFICE : LeaveApprovalLevel.COUNTY_BUREAU;
}

const LEAVE_MOVES: Readonly<Record<LeaveStatus, readonly LeaveStatus[]>> = {
  [LeaveStatus.REQUESTED]: [LeaveStatus.APPROVED, LeaveStatus.REJECTED],
  [LeaveStatus.APPROVED]: [LeaveStatus.RETURNED],
  [LeaveStatus.REJECTED]: [],
  [LeaveStatus.RETURNED]: [],
};

/** @throws DomainError ILLEGAL_TRANSITION for a move the leave workflow does not allow. */
export function assertLeaveTransition(from: LeaveStatus, to: LeaveStatus): void {
  if (!LEAVE_MOVES[from].includes(to)) {
    throw new DomainError(
      DomainErrorCode.ILLEGAL_TRANSITION,
      `CC-13: a leave that is ${from} cannot become ${to} / 当前状态（${LEAVE_STATUS_LABELS[from]}）不允许变为${LEAVE_STATUS_LABELS[to]}`,
      { details: { from, to } },
    );
  }
}

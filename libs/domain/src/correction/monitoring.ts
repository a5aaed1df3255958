import { addDays, compareLocalDate, lastDayOfPeriod, parseLocalDate, type LocalDate } from '../calendar/local-date';
import { activeCalendar, type WorkingDayCalendar } from '../calendar/working-day-calendar';
import { DomainError, DomainErrorCode } from '../errors/domain-error';

/**
 * CC-12: the five legal grounds for electronic location (社区矫正法 第二十九条). Anything else is refused.
 */
export enum MonitoringGround {
  PROHIBITION_ORDER_BREACH = 'PROHIBITION_ORDER_BREACH',
  LEFT_COUNTY_WITHOUT_APPROVAL = 'LEFT_COUNTY_WITHOUT_APPROVAL',
  REFUSED_REPORT_AFTER_WARNING = 'REFUSED_REPORT_AFTER_WARNING',
  PUBLIC_SECURITY_PENALTY = 'PUBLIC_SECURITY_PENALTY',
  REVOCATION_PROPOSAL_PENDING = 'REVOCATION_PROPOSAL_PENDING',
}

export const MONITORING_GROUND_LABELS: Record<MonitoringGround, string> = {
  [MonitoringGround.PROHIBITION_ORDER_BREACH]: '违反人民法院禁止令',
  [MonitoringGround.LEFT_COUNTY_WITHOUT_APPROVAL]: '无正当理由，未经批准离开所居住的市、县',
  [MonitoringGround.REFUSED_REPORT_AFTER_WARNING]: '拒不按照规定报告自己的活动情况，被给予警告',
  [MonitoringGround.PUBLIC_SECURITY_PENALTY]: '违反监督管理规定，被给予治安管理处罚',
  [MonitoringGround.REVOCATION_PROPOSAL_PENDING]: '拟提请撤销缓刑、假释或者暂予监外执行收监执行',
};

/** Whether an electronic location is in force or was lifted. An ACTIVE one past its end date is expired. */
export enum MonitoringStatus {
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
}

export const MONITORING_STATUS_LABELS: Record<MonitoringStatus, string> = {
  [MonitoringStatus.ACTIVE]: '使用中',
  [MonitoringStatus.ENDED]: '已解除',
};

/** CC-12 (statute): at most 3 months at a time, each extension at most 3 months. */
export const MONITORING_MAX_MONTHS = 3;
export const MONITORING_EXTENSION_MAX_MONTHS = 3;

export function parseMonitoringGround(raw: string, field = 'ground'): MonitoringGround {
  if (Object.prototype.hasOwnProperty.call(MONITORING_GROUND_LABELS, raw)) return raw as MonitoringGround;
  throw new DomainError(
    DomainErrorCode.VALIDATION_FAILED,
    `CC-12: "${raw}" is not one of the five legal grounds for electronic location / 不属于法定的电子定位适用情形`,
    { field },
  );
}

/** The last allowed day (inclusive) of a period of `months` months starting on `start` (see lastDayOfPeriod). */
export function lastDayOfMonths(start: LocalDate, months: number): LocalDate {
  return lastDayOfPeriod(start, months);
}

/**
 * CC-12: an approval runs from `start` to `end` (inclusive), at most 3 months.
 * @throws DomainError DATE_RANGE_INVALID (end before start) or VALIDATION_FAILED (too long), field `endDate`.
 */
export function validateMonitoringPeriod(start: LocalDate, end: LocalDate, maxMonths = MONITORING_MAX_MONTHS): void {
  parseLocalDate(start, 'startDate');
  parseLocalDate(end, 'endDate');
  if (compareLocalDate(end, start) < 0) {
    throw new DomainError(DomainErrorCode.DATE_RANGE_INVALID, 'CC-12: end date is before the start date / 截止日期早于起始日期', {
      field: 'endDate',
    });
  }
  const latest = lastDayOfMonths(start, maxMonths);
  if (compareLocalDate(end, latest) > 0) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      `CC-12: electronic location may be approved for at most ${maxMonths} months (last day ${latest}) / 电子定位期限不得超过三个月`,
      { field: 'endDate', details: { latestEnd: latest } },
    );
  }
}

/**
 * CC-12: an extension runs from the day after the current end; at most 3 months.
 * @throws DomainError DATE_RANGE_INVALID (not later than the current end) or VALIDATION_FAILED (too long).
 */
export function validateMonitoringExtension(currentEnd: LocalDate, newEnd: LocalDate, maxMonths = MONITORING_EXTENSION_MAX_MONTHS): void {
  parseLocalDate(newEnd, 'newEndDate');
  if (compareLocalDate(newEnd, currentEnd) <= 0) {
    throw new DomainError(
      DomainErrorCode.DATE_RANGE_INVALID,
      `CC-12: an extension must end after the current end date ${currentEnd} / 延长后的截止日期须晚于原截止日期`,
      { field: 'newEndDate' },
    );
  }
  const latest = lastDayOfMonths(addDays(currentEnd, 1), maxMonths);
  if (compareLocalDate(newEnd, latest) > 0) {
    throw new DomainError(
      DomainErrorCode.VALIDATION_FAILED,
      `CC-12: each extension may be at most ${maxMonths} months (last day ${latest}) / 每次延长不得超过三个月`,
      { field: 'newEndDate', details: { latestEnd: latest } },
    );
  }
}

/** CC-12 *(cfg)*: the day the "monitoring expiring" reminder is due: `workingDays` working days before the end. */
export function monitoringExpiryWarningDate(end: LocalDate, workingDays: number, cal: WorkingDayCalendar = activeCalendar()): LocalDate {
  return cal.addWorkingDays(end, -workingDays);
}

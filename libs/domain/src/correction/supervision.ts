import { addDays, compareLocalDate, daysBetween, fromEpochDay, lastDayOfPeriod, monthRange, toEpochDay, type LocalDate, type YearMonth } from '../calendar/local-date';
import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { SupervisionLevel, SUPERVISION_LEVEL_LABELS } from '../enums/supervision-level';

/** CC-9 check-in channels. */
export enum CheckInChannel {
  FACE_TO_FACE = 'FACE_TO_FACE',
  PHONE_VOICE = 'PHONE_VOICE',
  APP = 'APP',
  VIDEO = 'VIDEO',
}

export const CHECK_IN_CHANNEL_LABELS: Record<CheckInChannel, string> = {
  [CheckInChannel.FACE_TO_FACE]: '当面报告',
  [CheckInChannel.PHONE_VOICE]: '电话语音汇报',
  [CheckInChannel.APP]: '在矫通自主报到',
  [CheckInChannel.VIDEO]: '视频报告',
};

/** CC-8 obligations of one level *(cfg)*: check-in interval, education and community service hours a month. */
export interface LevelObligations {
  checkInIntervalDays: number;
  educationHoursPerMonth: number;
  communityServiceHoursPerMonth: number;
}

export type SupervisionPolicy = Record<SupervisionLevel, LevelObligations>;

/** The defaults of docs/domain.md CC-8; apps read them from configuration. */
export const DEFAULT_SUPERVISION_POLICY: SupervisionPolicy = Object.freeze({
  [SupervisionLevel.STRICT]: { checkInIntervalDays: 7, educationHoursPerMonth: 12, communityServiceHoursPerMonth: 12 },
  [SupervisionLevel.ORDINARY]: { checkInIntervalDays: 14, educationHoursPerMonth: 8, communityServiceHoursPerMonth: 8 },
  [SupervisionLevel.LENIENT]: { checkInIntervalDays: 30, educationHoursPerMonth: 4, communityServiceHoursPerMonth: 4 },
});

/** Why CC-8 holds a subject at STRICT. */
export enum StrictReason {
  FIRST_MONTHS = 'FIRST_MONTHS',
  HIGH_RISK = 'HIGH_RISK',
  SANCTIONED = 'SANCTIONED',
  ORGANISED_CRIME = 'ORGANISED_CRIME',
}

export const STRICT_REASON_LABELS: Record<StrictReason, string> = {
  [StrictReason.FIRST_MONTHS]: '入矫初期严管',
  [StrictReason.HIGH_RISK]: '再犯风险高',
  [StrictReason.SANCTIONED]: '受到处罚后严管',
  [StrictReason.ORGANISED_CRIME]: '涉黑涉恶案件全程严管',
};

const LEVEL_RANK: Record<SupervisionLevel, number> = {
  [SupervisionLevel.LENIENT]: 0,
  [SupervisionLevel.ORDINARY]: 1,
  [SupervisionLevel.STRICT]: 2,
};

export interface StrictContext {
  /** The day the subject became ACTIVE; null when not (yet) known. */
  activatedOn: LocalDate | null;
  today: LocalDate;
  /** Months after activation during which the level is STRICT *(cfg, default 2)*. */
  strictInitialMonths: number;
  highRisk: boolean;
  /** The latest sanction (训诫, 警告, revocation proposal) recorded, if any. */
  lastSanctionOn: LocalDate | null;
  /** From this day the officer judged the subject improved; sanctions before it no longer hold the level at STRICT. */
  improvementSince: LocalDate | null;
  /** CC-25: convicted of organising, leading or joining a criminal syndicate (涉黑涉恶): STRICT for the whole term. */
  organisedCrime?: boolean;
}

/** The last day of the initial STRICT period (activation + N months, the day before the same day N months later). */
export function initialStrictUntil(activatedOn: LocalDate, months: number): LocalDate {
  return lastDayOfPeriod(activatedOn, months);
}

/** CC-8: the reasons (possibly none) that hold the subject at STRICT today. */
export function strictReasons(ctx: StrictContext): StrictReason[] {
  const reasons: StrictReason[] = [];
  if (ctx.activatedOn && compareLocalDate(ctx.today, initialStrictUntil(ctx.activatedOn, ctx.strictInitialMonths)) <= 0) {
    reasons.push(StrictReason.FIRST_MONTHS);
  }
  if (ctx.highRisk) reasons.push(StrictReason.HIGH_RISK);
  if (ctx.organisedCrime) reasons.push(StrictReason.ORGANISED_CRIME);
  if (ctx.lastSanctionOn && !(ctx.improvementSince && compareLocalDate(ctx.improvementSince, ctx.lastSanctionOn) > 0)) {
    reasons.push(StrictReason.SANCTIONED);
  }
  return reasons;
}

/**
 * CC-8: refuses a level below STRICT while a reason holds the subject at STRICT (the first months after
 * activation, high risk, a sanction without improvement since). Throws ILLEGAL_TRANSITION naming the reasons.
 */
export function assertSupervisionLevelAllowed(level: SupervisionLevel, ctx: StrictContext): void {
  if (LEVEL_RANK[level] >= LEVEL_RANK[SupervisionLevel.STRICT]) return;
  const reasons = strictReasons(ctx);
  if (reasons.length === 0) return;
  const why = reasons.map((r) => STRICT_REASON_LABELS[r]).join('、');
  throw new DomainError(
    DomainErrorCode.ILLEGAL_TRANSITION,
    `CC-8: the subject must stay STRICT (${reasons.join(', ')}); ${SUPERVISION_LEVEL_LABELS[level]} is refused / 须严管（${why}），不得调整为${SUPERVISION_LEVEL_LABELS[level]}`,
    { field: 'level', details: { reasons } },
  );
}

/** CC-9: the day the next check-in is due: last check-in (or, before any, the start of supervision) + interval. */
export function nextCheckInDue(lastCheckInOn: LocalDate | null, supervisionStart: LocalDate, intervalDays: number): LocalDate {
  const ref = lastCheckInOn && compareLocalDate(lastCheckInOn, supervisionStart) > 0 ? lastCheckInOn : supervisionStart;
  return addDays(ref, intervalDays);
}

export interface ComplianceInput {
  month: YearMonth;
  today: LocalDate;
  /** Supervision started (activation); deadlines run from here. */
  supervisionStart: LocalDate;
  obligations: LevelObligations;
  /** Every check-in date of the subject (any order, any month). */
  checkIns: readonly LocalDate[];
  educationHoursDone: number;
  communityServiceHoursDone: number;
}

export interface MonthlyCompliance {
  month: YearMonth;
  /** Check-in deadlines falling in the month (met, missed or still ahead). */
  checkInsDue: number;
  /** Check-ins made in the month. */
  checkInsDone: number;
  /** Deadlines in the month that passed without a check-in. */
  checkInsOverdue: number;
  nextCheckInDue: LocalDate;
  /** Days since the next check-in fell due (0 when not overdue). */
  overdueDays: number;
  educationHoursDue: number;
  educationHoursDone: number;
  communityServiceHoursDue: number;
  communityServiceHoursDone: number;
}

/**
 * CC-9 compliance of one subject for one month. The deadline chain: the first deadline is the start of
 * supervision + interval; a check-in on or before a deadline meets it and the next deadline is that
 * check-in + interval; a missed deadline is overdue and the obligation recurs every interval after it.
 * Deadlines after `today` are assumed met on the day (projected).
 */
export function monthlyCompliance(input: ComplianceInput): MonthlyCompliance {
  const { start, end } = monthRange(input.month);
  const interval = input.obligations.checkInIntervalDays;
  if (!Number.isInteger(interval) || interval < 1) throw new RangeError(`check-in interval must be a positive integer, got ${interval}`);
  // Day numbers: the chain below steps through the whole supervision (issue 13 S5: a caseload page
  // spent milliseconds parsing the same dates at every step).
  const first = toEpochDay(start);
  const last = toEpochDay(end);
  const today = toEpochDay(input.today);
  const supervisionStart = toEpochDay(input.supervisionStart);
  const checkIns = input.checkIns.map(toEpochDay);
  const inMonth = (d: number) => d >= first && d <= last;
  const sorted = checkIns.filter((d) => d > supervisionStart).sort((a, b) => a - b);

  let due = 0;
  let overdue = 0;
  let i = 0;
  let deadline = supervisionStart + interval;
  // Bounded: every step moves the deadline forward by ≥ 1 day, until past the month end.
  for (;;) {
    let met: number | null = null;
    while (i < sorted.length && sorted[i] <= deadline) met = sorted[i++];
    if (met !== null) {
      if (inMonth(met)) due += 1;
      deadline = met + interval;
      continue;
    }
    if (deadline > last) break;
    if (inMonth(deadline)) {
      due += 1;
      if (deadline < today) overdue += 1;
    }
    deadline += interval;
  }

  const lastCheckIn = sorted.filter((d) => d <= today).pop();
  const next = nextCheckInDue(lastCheckIn === undefined ? null : fromEpochDay(lastCheckIn), input.supervisionStart, interval);
  return {
    month: input.month,
    checkInsDue: due,
    checkInsDone: checkIns.filter(inMonth).length,
    checkInsOverdue: overdue,
    nextCheckInDue: next,
    overdueDays: Math.max(0, daysBetween(next, input.today)),
    educationHoursDue: input.obligations.educationHoursPerMonth,
    educationHoursDone: input.educationHoursDone,
    communityServiceHoursDue: input.obligations.communityServiceHoursPerMonth,
    communityServiceHoursDone: input.communityServiceHoursDone,
  };
}

/** CC-9: an APP check-in (在矫通) carries a face-match result and a location; others may. */
export function validateCheckIn(input: { channel: CheckInChannel; faceMatch?: boolean | null; lat?: number | null; lng?: number | null }): void {
  if (input.channel !== CheckInChannel.APP) return;
  if (input.faceMatch === undefined || input.faceMatch === null) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'CC-9: an APP check-in needs the face-match result / 在矫通报到须有人脸比对结果', { field: 'faceMatch' });
  }
  if (input.lat === undefined || input.lat === null || input.lng === undefined || input.lng === null) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'CC-9: an APP check-in needs the location / 在矫通报到须有定位', { field: 'lat' });
  }
}

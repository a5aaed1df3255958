import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { SupervisionLevel } from '../enums/supervision-level';
import {
  CheckInChannel,
  DEFAULT_SUPERVISION_POLICY,
  StrictContext,
  StrictReason,
  assertSupervisionLevelAllowed,
  initialStrictUntil,
  monthlyCompliance,
  nextCheckInDue,
  strictReasons,
  validateCheckIn,
} from './supervision';

const ctx = (over: Partial<StrictContext> = {}): StrictContext => ({
  activatedOn: '2026-01-15',
  today: '2026-06-01',
  strictInitialMonths: 2,
  highRisk: false,
  lastSanctionOn: null,
  improvementSince: null,
  ...over,
});

function refusal(fn: () => void): DomainError {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a refusal');
}

describe(initialStrictUntil.name, () => {
  it('CC-8: the initial STRICT period ends the day before the same day 2 months later (the month end when there is none)', () => {
    expect(initialStrictUntil('2026-01-15', 2)).toBe('2026-03-14');
    // issue 7 item 8: no 31 February → the period runs to 2026-02-28 (was one day short)
    expect(initialStrictUntil('2025-12-31', 2)).toBe('2026-02-28');
  });
});

describe(strictReasons.name, () => {
  it('CC-8: STRICT through the last day of the first 2 months, not the day after (boundary)', () => {
    expect(strictReasons(ctx({ today: '2026-03-14' }))).toEqual([StrictReason.FIRST_MONTHS]);
    expect(strictReasons(ctx({ today: '2026-03-15' }))).toEqual([]);
  });

  it('CC-8: the initial months are configuration (3 months keeps 2026-03-15 STRICT)', () => {
    expect(strictReasons(ctx({ today: '2026-03-15', strictInitialMonths: 3 }))).toEqual([StrictReason.FIRST_MONTHS]);
  });

  it('CC-8: high risk holds STRICT', () => {
    expect(strictReasons(ctx({ highRisk: true }))).toEqual([StrictReason.HIGH_RISK]);
  });

  it('CC-8: a sanction holds STRICT until an improvement recorded after it', () => {
    expect(strictReasons(ctx({ lastSanctionOn: '2026-05-01' }))).toEqual([StrictReason.SANCTIONED]);
    expect(strictReasons(ctx({ lastSanctionOn: '2026-05-01', improvementSince: '2026-05-01' }))).toEqual([StrictReason.SANCTIONED]);
    expect(strictReasons(ctx({ lastSanctionOn: '2026-05-01', improvementSince: '2026-05-02' }))).toEqual([]);
    expect(strictReasons(ctx({ lastSanctionOn: '2026-05-03', improvementSince: '2026-05-02' }))).toEqual([StrictReason.SANCTIONED]);
  });

  it('no activation date known → no initial-period reason', () => {
    expect(strictReasons(ctx({ activatedOn: null, today: '2026-01-16' }))).toEqual([]);
  });
});

describe(assertSupervisionLevelAllowed.name, () => {
  it('CC-8: ORDINARY or LENIENT during the first 2 months is refused with ILLEGAL_TRANSITION naming the reason', () => {
    for (const level of [SupervisionLevel.ORDINARY, SupervisionLevel.LENIENT]) {
      const e = refusal(() => assertSupervisionLevelAllowed(level, ctx({ today: '2026-02-01' })));
      expect(e.code).toBe(DomainErrorCode.ILLEGAL_TRANSITION);
      expect(e.message).toContain('入矫初期严管');
      expect(e.details).toEqual({ reasons: [StrictReason.FIRST_MONTHS] });
    }
  });

  it('CC-8: STRICT is always allowed; a lower level once no reason holds', () => {
    expect(() => assertSupervisionLevelAllowed(SupervisionLevel.STRICT, ctx({ today: '2026-02-01', highRisk: true }))).not.toThrow();
    expect(() => assertSupervisionLevelAllowed(SupervisionLevel.LENIENT, ctx())).not.toThrow();
  });

  it('CC-8: high risk and sanctions refuse a lower level', () => {
    expect(refusal(() => assertSupervisionLevelAllowed(SupervisionLevel.ORDINARY, ctx({ highRisk: true }))).details).toEqual({ reasons: [StrictReason.HIGH_RISK] });
    expect(refusal(() => assertSupervisionLevelAllowed(SupervisionLevel.LENIENT, ctx({ lastSanctionOn: '2026-05-30' }))).details).toEqual({
      reasons: [StrictReason.SANCTIONED],
    });
  });
});

describe(nextCheckInDue.name, () => {
  it('CC-9: last check-in + interval; before any check-in, start of supervision + interval', () => {
    expect(nextCheckInDue('2026-03-10', '2026-03-01', 7)).toBe('2026-03-17');
    expect(nextCheckInDue(null, '2026-03-01', 14)).toBe('2026-03-15');
    expect(nextCheckInDue('2026-02-20', '2026-03-01', 7)).toBe('2026-03-08');
  });
});

describe(monthlyCompliance.name, () => {
  const strict = DEFAULT_SUPERVISION_POLICY[SupervisionLevel.STRICT];

  it('CC-9: weekly check-ins on time: 4 due, 4 done, none overdue in March', () => {
    const c = monthlyCompliance({
      month: '2026-03',
      today: '2026-03-31',
      supervisionStart: '2026-03-01',
      obligations: strict,
      checkIns: ['2026-03-08', '2026-03-15', '2026-03-22', '2026-03-29'],
      educationHoursDone: 5,
      communityServiceHoursDone: 12,
    });
    expect(c).toEqual({
      month: '2026-03',
      checkInsDue: 4,
      checkInsDone: 4,
      checkInsOverdue: 0,
      nextCheckInDue: '2026-04-05',
      overdueDays: 0,
      educationHoursDue: 12,
      educationHoursDone: 5,
      communityServiceHoursDue: 12,
      communityServiceHoursDone: 12,
    });
  });

  it('CC-9: a check-in on the due day is on time; the day after the due day is 1 day overdue (boundary)', () => {
    const base = { month: '2026-03', supervisionStart: '2026-03-01', obligations: strict, checkIns: [], educationHoursDone: 0, communityServiceHoursDone: 0 };
    expect(monthlyCompliance({ ...base, today: '2026-03-08' })).toMatchObject({ overdueDays: 0, checkInsOverdue: 0, nextCheckInDue: '2026-03-08' });
    expect(monthlyCompliance({ ...base, today: '2026-03-09' })).toMatchObject({ overdueDays: 1, checkInsOverdue: 1 });
  });

  it('CC-9: missed deadlines recur every interval; a late check-in restarts the chain', () => {
    const c = monthlyCompliance({
      month: '2026-03',
      today: '2026-03-31',
      supervisionStart: '2026-03-01',
      obligations: strict,
      // due 03-08 missed, due 03-15 met by 03-12 (late for the 8th), next due 03-19 missed, 03-26 missed
      checkIns: ['2026-03-12'],
      educationHoursDone: 0,
      communityServiceHoursDone: 0,
    });
    expect(c).toMatchObject({ checkInsDue: 4, checkInsDone: 1, checkInsOverdue: 3, nextCheckInDue: '2026-03-19', overdueDays: 12 });
  });

  it('CC-9: deadlines after today are counted as due but not overdue; the interval follows the level', () => {
    const c = monthlyCompliance({
      month: '2026-04',
      today: '2026-04-02',
      supervisionStart: '2026-03-01',
      obligations: DEFAULT_SUPERVISION_POLICY[SupervisionLevel.ORDINARY],
      checkIns: ['2026-03-28'],
      educationHoursDone: 0,
      communityServiceHoursDone: 0,
    });
    expect(c).toMatchObject({ checkInsDue: 2, checkInsDone: 0, checkInsOverdue: 0, nextCheckInDue: '2026-04-11', educationHoursDue: 8 });
  });
});

describe(validateCheckIn.name, () => {
  it('CC-9: an APP check-in without the face-match result or the location is refused', () => {
    expect(refusal(() => validateCheckIn({ channel: CheckInChannel.APP, lat: 31.9, lng: 120.2 })).field).toBe('faceMatch');
    expect(refusal(() => validateCheckIn({ channel: CheckInChannel.APP, faceMatch: true, lat: 31.9 })).field).toBe('lat');
    expect(() => validateCheckIn({ channel: CheckInChannel.APP, faceMatch: false, lat: 31.9, lng: 120.2 })).not.toThrow();
    expect(() => validateCheckIn({ channel: CheckInChannel.PHONE_VOICE })).not.toThrow();
  });
});

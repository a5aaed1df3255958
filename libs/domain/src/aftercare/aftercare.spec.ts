import { DomainError } from '../errors';
import {
  CLOSURE_REASON_LABELS,
  COMMUNITY_REHAB_END_REASON_LABELS,
  CommunityRehabEndReason,
  ClosureReason,
  DRUG_TEST_RESULT_LABELS,
  DrugTestResult,
  EMPTY_AFTERCARE_COUNTS,
  FOLLOW_UP_KIND_LABELS,
  AFTERCARE_LEDGER_KIND_LABELS,
  AftercareLedgerKind,
  FollowUpKind,
  SUCCESS_CASE_FILE_KIND_LABELS,
  SuccessCaseFileKind,
  WORK_LOG_KIND_LABELS,
  WorkLogKind,
  abstinentClosureFrom,
  abstinentOn,
  followUpCoverage,
  successCaseReminderDue,
  successCasesShort,
  addAftercareCounts,
  aftercareIndicators,
  assertClosureAllowed,
  assertReleaseWithinWindow,
  contactDue,
  contactedInTime,
  followUpPeriods,
  isLateNotice,
  isRelapse,
  isSeriousBreach,
  monthsOwed,
  quartersOwed,
  successCasesRequired,
} from '.';

describe('aftercare vocabulary', () => {
  it('AC-3: every drug-test result, follow-up kind AC-5 closure reason and community rehabilitation end reason has a Chinese label', () => {
    expect(Object.values(DrugTestResult).map((r) => DRUG_TEST_RESULT_LABELS[r])).toEqual(['阴性', '阳性', '拒绝检测', '未检测']);
    expect(Object.values(FollowUpKind).map((k) => FOLLOW_UP_KIND_LABELS[k])).toEqual(['电话回访', '见面回访']);
    expect(Object.values(ClosureReason).every((r) => CLOSURE_REASON_LABELS[r].length > 0)).toBe(true);
    expect(Object.values(CommunityRehabEndReason).map((r) => COMMUNITY_REHAB_END_REASON_LABELS[r])).toEqual(['社区康复期满', '复吸', '迁出', '死亡', '被强制隔离戒毒或收押']);
  });

  it('AC-6 / AC-7: every success-case file kind, work-log kind and ledger kind has a Chinese label', () => {
    const cjk = /[\u4e00-\u9fff]/;
    expect(Object.values(WorkLogKind).every((k) => cjk.test(WORK_LOG_KIND_LABELS[k]))).toBe(true);
    expect(Object.values(SuccessCaseFileKind).map((k) => SUCCESS_CASE_FILE_KIND_LABELS[k])).toEqual(['文字材料', '图片']);
    expect(Object.values(AftercareLedgerKind).map((k) => AFTERCARE_LEDGER_KIND_LABELS[k])).toEqual(['解戒通知台账', '对接台账', '回访台账', '尿检台账', '复吸台账', '解除照管台账']);
  });
});

describe('aftercare rules', () => {
  it('AC-1: a notice fewer than 3 days before release is late; 3 days or more is on time', () => {
    expect(isLateNotice('2027-03-04', '2027-03-01')).toBe(false);
    expect(isLateNotice('2027-03-03', '2027-03-01')).toBe(true);
    expect(isLateNotice('2027-02-25', '2027-03-01')).toBe(true);
    expect(isLateNotice('2027-03-10', '2027-03-01', { noticeLeadDays: 10 })).toBe(true);
  });

  it('AC-1: a release more than 30 days past (cfg) is refused naming releaseDate; within the window it passes', () => {
    expect(() => assertReleaseWithinWindow('2027-01-30', '2027-03-01')).not.toThrow();
    let err: unknown;
    try {
      assertReleaseWithinWindow('2027-01-29', '2027-03-01');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).field).toBe('releaseDate');
    expect((err as DomainError).message).toMatch(/解戒日期/);
  });

  it('AC-2: contact is due 7 days (cfg) after release; the 7th day is still in time, the 8th not', () => {
    expect(contactDue('2027-03-01')).toBe('2027-03-08');
    expect(contactDue('2027-03-01', { contactDays: 3 })).toBe('2027-03-04');
    expect(contactedInTime('2027-03-01', '2027-03-08')).toBe(true);
    expect(contactedInTime('2027-03-01', '2027-03-09')).toBe(false);
  });

  it('AC-3: a PHONE follow-up each calendar month and a visit each calendar quarter from enrolment, none after closure', () => {
    expect(followUpPeriods('2027-05-14')).toEqual({ month: '2027-05', quarter: '2027-Q2' });
    expect(monthsOwed('2027-02-20', '2027-05-03')).toEqual(['2027-02', '2027-03', '2027-04', '2027-05']);
    expect(monthsOwed('2027-02-20', '2027-05-03', '2027-03-10')).toEqual(['2027-02', '2027-03']);
    expect(quartersOwed('2027-02-20', '2027-07-01')).toEqual(['2027-Q1', '2027-Q2', '2027-Q3']);
    expect(quartersOwed('2026-12-31', '2027-01-01')).toEqual(['2026-Q4', '2027-Q1']);
  });

  it('AC-4: a positive test is a relapse; the third refused test (cfg) is the serious breach, once', () => {
    expect(isRelapse(DrugTestResult.POSITIVE)).toBe(true);
    expect([DrugTestResult.NEGATIVE, DrugTestResult.REFUSED, DrugTestResult.NOT_TESTED].some(isRelapse)).toBe(false);
    expect([1, 2, 3, 4].map((n) => isSeriousBreach(n))).toEqual([false, false, true, false]);
    expect(isSeriousBreach(2, { refusedTestsForBreach: 2 })).toBe(true);
  });

  it('AC-5: closure as abstinent 3 years after release or after the last relapse; move, death, detention any time', () => {
    expect(abstinentClosureFrom('2027-03-01', null)).toBe('2030-03-01');
    expect(abstinentClosureFrom('2027-03-01', '2028-06-15')).toBe('2031-06-15');
    expect(() => assertClosureAllowed(ClosureReason.ABSTINENT_THREE_YEARS, '2030-03-01', '2027-03-01', null)).not.toThrow();
    expect(() => assertClosureAllowed(ClosureReason.ABSTINENT_THREE_YEARS, '2030-02-28', '2027-03-01', null)).toThrow(/戒断未满3年/);
    expect(() => assertClosureAllowed(ClosureReason.DIED, '2027-04-01', '2027-03-01', null)).not.toThrow();
  });
});

describe('aftercare indicators K-AC1 … K-AC4', () => {
  it('K-AC1 / K-AC2 / K-AC3 / K-AC4: ratios against their targets (90 %, 50 %, 100 %, 1 or 2 success cases)', () => {
    const c = { ...EMPTY_AFTERCARE_COUNTS, notices: 10, contactedInTime: 9, subjects: 4, abstinent: 1, subjectMonths: 12, subjectMonthsPhoned: 11, subjectQuarters: 4, subjectQuartersVisited: 4, successCases: 1, successCasesRequired: successCasesRequired(12) };
    const byCode = Object.fromEntries(aftercareIndicators(c).map((v) => [v.code, v]));
    expect(byCode['K-AC1']).toMatchObject({ label: '照管率', value: 0.9, target: 0.9 });
    expect(byCode['K-AC2']).toMatchObject({ label: '操守保持率', value: 0.25, target: 0.5 });
    expect(byCode['K-AC3-PHONE'].value).toBeCloseTo(11 / 12);
    expect(byCode['K-AC3-VISIT'].value).toBe(1);
    expect(byCode['K-AC4']).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect(successCasesRequired(9)).toBe(1);
  });

  it('K-AC4: the city sums its stations, each owing its own success cases; no notices is no value', () => {
    const a = { ...EMPTY_AFTERCARE_COUNTS, successCases: 1, successCasesRequired: 1 };
    const b = { ...EMPTY_AFTERCARE_COUNTS, successCases: 0, successCasesRequired: 2 };
    expect(addAftercareCounts(a, b)).toMatchObject({ successCases: 1, successCasesRequired: 3 });
    expect(aftercareIndicators(EMPTY_AFTERCARE_COUNTS)[0].value).toBeNull();
  });
});

describe('aftercare indicators: the facts behind K-AC2, K-AC3, AC-6', () => {
  it('AC-6 / K-AC4: no subject owes nothing; 1–9 subjects owe 1, 10 or more owe 2; short is what is still owed', () => {
    expect([0, 1, 9, 10, 40].map(successCasesRequired)).toEqual([0, 1, 1, 2, 2]);
    expect([successCasesShort(12, 1), successCasesShort(12, 3), successCasesShort(3, 0), successCasesShort(0, 0)]).toEqual([1, 0, 1, 0]);
    expect(aftercareIndicators({ ...EMPTY_AFTERCARE_COUNTS, successCasesRequired: successCasesRequired(0) }).find((v) => v.code === 'K-AC4')?.value).toBeNull();
  });

  it('AC-6: the BLUE reminder of a year is due from 10-01 to 12-31 of that year only', () => {
    expect(['2027-09-30', '2027-10-01', '2027-12-31', '2028-01-01'].map((d) => successCaseReminderDue(2027, d))).toEqual([false, true, true, false]);
  });

  it('K-AC2: abstinent when no relapse lies in the 12 months up to the day (a relapse 12 months and 1 day back no longer counts)', () => {
    expect(abstinentOn([], '2027-06-30')).toBe(true);
    expect(abstinentOn(['2027-02-01'], '2027-06-30')).toBe(false);
    expect(abstinentOn(['2026-06-30'], '2027-06-30')).toBe(true);
    expect(abstinentOn(['2026-07-01'], '2027-06-30')).toBe(false);
    expect(abstinentOn(['2027-07-01'], '2027-06-30')).toBe(true);
  });

  it('K-AC3: subject-months and subject-quarters owed in the period from enrolment to closure, up to today, with those done', () => {
    const a = { enrolledOn: '2027-02-20', closedOn: null, phonedMonths: new Set(['2027-02', '2027-04']), visitedQuarters: new Set(['2027-Q2']) };
    const b = { enrolledOn: '2027-05-10', closedOn: '2027-05-31', phonedMonths: new Set(['2027-05']), visitedQuarters: new Set<string>() };
    const late = { enrolledOn: '2027-07-01', closedOn: null, phonedMonths: new Set<string>(), visitedQuarters: new Set<string>() };
    // Q2 2027: a owes April, May, June (phoned April) and Q2 (visited); b owes May (phoned) and Q2 (not visited).
    expect(followUpCoverage([a, b, late], { start: '2027-04-01', end: '2027-06-30' }, '2027-12-31')).toEqual({ subjectMonths: 4, subjectMonthsPhoned: 2, subjectQuarters: 2, subjectQuartersVisited: 1 });
    // On 2027-05-15 June has not begun: a owes April and May, b owes May.
    expect(followUpCoverage([a, b], { start: '2027-04-01', end: '2027-06-30' }, '2027-05-15')).toEqual({ subjectMonths: 3, subjectMonthsPhoned: 2, subjectQuarters: 2, subjectQuartersVisited: 1 });
    // March 2027 (a month's report counts the quarter it is in): a owes March (not phoned) and Q1 (not visited).
    expect(followUpCoverage([a, b], { start: '2027-03-01', end: '2027-03-31' }, '2027-12-31')).toEqual({ subjectMonths: 1, subjectMonthsPhoned: 0, subjectQuarters: 1, subjectQuartersVisited: 0 });
  });
});

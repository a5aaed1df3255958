import { DomainError } from '../errors';
import {
  EMPTY_CORRECTION_COUNTS,
  PeriodKind,
  addCorrectionCounts,
  correctionIndicators,
  parseMonthPeriod,
  periodRange,
} from './kpi';

describe('correction indicators (K-CC1 … K-CC8)', () => {
  const counts = {
    ...EMPTY_CORRECTION_COUNTS,
    activeSubjects: 4,
    activeWithPlan: 3,
    activeMonitored: 1,
    reportDue: 5,
    reportedOnTime: 4,
    underCorrection: 10,
    abscondedOrReoffended: 1,
    assessmentsCompleted: 2,
    assessmentsOnTime: 2,
    towns: 2,
    townsWithCentre: 1,
    casesReported: 4,
    casesAccepted: 1,
  };

  it('K-CC1…K-CC8 in table order with labels, numerators, denominators and targets', () => {
    const byCode = Object.fromEntries(correctionIndicators(counts).map((i) => [i.code, i]));
    expect(Object.keys(byCode)).toEqual(['K-CC1', 'K-CC2', 'K-CC3', 'K-CC4', 'K-CC5', 'K-CC6', 'K-CC7', 'K-CC8', 'K-CC3N', 'K-DQ1-TIMELY', 'K-DQ1-COMPLETE', 'K-DQ1-ACCURATE']);
    expect(byCode['K-CC1']).toEqual({ code: 'K-CC1', label: '个案矫正率', numerator: 3, denominator: 4, value: 0.75, target: 1 });
    expect(byCode['K-CC2']).toMatchObject({ value: 0.25, target: null });
    expect(byCode['K-CC3']).toMatchObject({ numerator: 0, denominator: 0, value: null });
    expect(byCode['K-CC4'].value).toBe(0.8);
    expect(byCode['K-CC5']).toMatchObject({ value: 0.1, target: 0 });
    expect(byCode['K-CC6'].value).toBe(1);
    expect(byCode['K-CC7'].value).toBe(0.5);
    // CC-28 案例录用率 = accepted / reported
    expect(byCode['K-CC8']).toEqual({ code: 'K-CC8', label: '案例录用率', numerator: 1, denominator: 4, value: 0.25, target: null });
  });

  it('the city is the sum of its towns', () => {
    const city = addCorrectionCounts(counts, counts);
    expect(city.activeSubjects).toBe(8);
    expect(correctionIndicators(city)[0]).toMatchObject({ numerator: 6, denominator: 8, value: 0.75 });
  });

  it('periods: month, quarter, year; bad ones refused', () => {
    expect(periodRange(PeriodKind.MONTH, 2024, 2)).toEqual({ kind: 'MONTH', label: '2024-02', start: '2024-02-01', end: '2024-02-29' });
    expect(periodRange(PeriodKind.QUARTER, 2025, 2)).toMatchObject({ label: '2025-Q2', start: '2025-04-01', end: '2025-06-30' });
    expect(periodRange(PeriodKind.YEAR, 2025)).toMatchObject({ start: '2025-01-01', end: '2025-12-31' });
    expect(() => periodRange(PeriodKind.MONTH, 2025, 13)).toThrow(DomainError);
    expect(() => periodRange(PeriodKind.QUARTER, 2025)).toThrow(DomainError);
    expect(parseMonthPeriod('2025-06').end).toBe('2025-06-30');
    expect(() => parseMonthPeriod('2025-6')).toThrow(DomainError);
    expect(() => parseMonthPeriod('2025-00')).toThrow(DomainError);
  });
});

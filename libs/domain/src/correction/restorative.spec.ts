import { DomainError } from '../errors/domain-error';
import {
  RESTORATIVE_CASE_STATUS_LABELS,
  RESTORATIVE_QUALITY_LABELS,
  RestorativeAction as A,
  RestorativeCaseStatus as S,
  RestorativeQuality,
  assertCanMarkExcellent,
  excellentTargetMet,
  nextRestorativeStatus,
} from './restorative';

describe('restorative justice (CC-17)', () => {
  describe(nextRestorativeStatus.name, () => {
    it('CC-17: assessment → victim participation → plan → community service → evaluation, in order', () => {
      let s = S.OPENED;
      for (const [action, expected] of [
        [A.ASSESS_SUITABLE, S.SUITABLE],
        [A.VICTIM_AGREES, S.VICTIM_AGREED],
        [A.RECORD_PLAN, S.PLANNED],
        [A.START_SERVICE, S.IN_SERVICE],
        [A.LOG_SERVICE, S.IN_SERVICE],
        [A.EVALUATE, S.EVALUATED],
      ] as const) {
        s = nextRestorativeStatus(s, action);
        expect(s).toBe(expected);
      }
    });
    it('CC-17: unsuitable or a declining victim closes the case', () => {
      expect(nextRestorativeStatus(S.OPENED, A.ASSESS_UNSUITABLE)).toBe(S.CLOSED_UNSUITABLE);
      expect(nextRestorativeStatus(S.SUITABLE, A.VICTIM_DECLINES)).toBe(S.CLOSED_VICTIM_DECLINED);
    });
    it.each([
      [S.OPENED, A.RECORD_PLAN],
      [S.SUITABLE, A.EVALUATE],
      [S.CLOSED_UNSUITABLE, A.VICTIM_AGREES],
      [S.EVALUATED, A.LOG_SERVICE],
      [S.PLANNED, A.ASSESS_SUITABLE],
    ])('CC-17: %s cannot %s (ILLEGAL_TRANSITION)', (status, action) => {
      expect(() => nextRestorativeStatus(status, action)).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }) as unknown as DomainError);
    });
  });

  describe(assertCanMarkExcellent.name, () => {
    it('CC-17: only an evaluated case graded EXCELLENT', () => {
      expect(() => assertCanMarkExcellent(S.EVALUATED, RestorativeQuality.EXCELLENT)).not.toThrow();
      expect(() => assertCanMarkExcellent(S.EVALUATED, RestorativeQuality.GOOD)).toThrow(DomainError);
      expect(() => assertCanMarkExcellent(S.IN_SERVICE, null)).toThrow(DomainError);
    });
  });

  describe(excellentTargetMet.name, () => {
    it('CC-17 target: an excellent case dated 1 Jul … 31 Dec of the year', () => {
      expect(excellentTargetMet(['2026-07-01'], 2026)).toBe(true);
      expect(excellentTargetMet(['2026-12-31'], 2026)).toBe(true);
      expect(excellentTargetMet(['2026-06-30', '2027-07-01'], 2026)).toBe(false);
      expect(excellentTargetMet([], 2026)).toBe(false);
    });
  });

  it('has Chinese labels for every status and grade', () => {
    expect(Object.keys(RESTORATIVE_CASE_STATUS_LABELS).sort()).toEqual(Object.values(S).sort());
    expect(Object.keys(RESTORATIVE_QUALITY_LABELS).sort()).toEqual(Object.values(RestorativeQuality).sort());
  });
});

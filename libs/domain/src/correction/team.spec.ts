import { Gender } from '../enums/gender';
import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { TEAM_ROLE_LABELS, TeamRole, TeamViolation, ageOn, assertTeamComposition, isMinorOn, teamCompositionViolations } from './team';

const man = { gender: Gender.MALE, versedInMinors: false };
const woman = { gender: Gender.FEMALE, versedInMinors: false };
const minorsExpert = { gender: Gender.MALE, versedInMinors: true };

describe('correction team rules (CC-7)', () => {
  it('every team role has a Chinese label', () => {
    for (const r of Object.values(TeamRole)) expect(TEAM_ROLE_LABELS[r]).toMatch(/[\u4e00-\u9fff]/);
  });

  describe(ageOn.name, () => {
    it('counts full years, the birthday from the day itself', () => {
      expect(ageOn('2008-06-15', '2026-06-14')).toBe(17);
      expect(ageOn('2008-06-15', '2026-06-15')).toBe(18);
      expect(isMinorOn('2008-06-15', '2026-06-14')).toBe(true);
      expect(isMinorOn('2008-06-15', '2026-06-15')).toBe(false);
    });
  });

  describe(teamCompositionViolations.name, () => {
    const adultMan = { subjectGender: Gender.MALE, subjectBirthDate: '1980-01-01', on: '2026-12-01' };
    it('CC-7: an adult man needs only a non-empty team', () => {
      expect(teamCompositionViolations({ ...adultMan, members: [man] })).toEqual([]);
      expect(teamCompositionViolations({ ...adultMan, members: [] })).toEqual([TeamViolation.EMPTY_TEAM]);
    });
    it('CC-7: a female subject needs a woman on the team', () => {
      const f = { ...adultMan, subjectGender: Gender.FEMALE };
      expect(teamCompositionViolations({ ...f, members: [man, minorsExpert] })).toEqual([TeamViolation.NO_WOMAN_FOR_FEMALE_SUBJECT]);
      expect(teamCompositionViolations({ ...f, members: [man, woman] })).toEqual([]);
    });
    it('CC-7: a minor (age < 18 on the approval day) needs someone versed in minors', () => {
      const minor = { ...adultMan, subjectBirthDate: '2008-12-02' };
      expect(teamCompositionViolations({ ...minor, members: [man] })).toEqual([TeamViolation.NO_MINORS_EXPERT_FOR_MINOR]);
      expect(teamCompositionViolations({ ...minor, members: [man, minorsExpert] })).toEqual([]);
      expect(teamCompositionViolations({ ...minor, on: '2026-12-02', members: [man] })).toEqual([]);
    });
    it('CC-7: a minor girl needs both', () => {
      const v = teamCompositionViolations({ subjectGender: Gender.FEMALE, subjectBirthDate: '2010-01-01', on: '2026-12-01', members: [man] });
      expect(v).toEqual([TeamViolation.NO_WOMAN_FOR_FEMALE_SUBJECT, TeamViolation.NO_MINORS_EXPERT_FOR_MINOR]);
    });
  });

  it('assertTeamComposition throws ILLEGAL_TRANSITION with the violations', () => {
    try {
      assertTeamComposition({ subjectGender: Gender.FEMALE, subjectBirthDate: '1980-01-01', on: '2026-12-01', members: [man] });
      throw new Error('expected a DomainError');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe(DomainErrorCode.ILLEGAL_TRANSITION);
      expect((e as DomainError).details).toEqual({ violations: [TeamViolation.NO_WOMAN_FOR_FEMALE_SUBJECT] });
    }
  });
});

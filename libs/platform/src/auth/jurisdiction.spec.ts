import { DomainError, DomainErrorCode, Role, TOWNS } from '@homeward/domain';
import { staffPrincipal } from '../testing';
import { assertTownVisible, canSeePerson, canSeeTown, isCaseloadBound, personScope, townFilter, townsOf } from './jurisdiction';

const officer = staffPrincipal({ towns: ['104', '107'] });
const admin = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: [] });

describe(townsOf.name, () => {
  it('gives * for CITY_ADMIN and the token towns otherwise', () => {
    expect(townsOf(admin)).toBe('*');
    expect(townsOf(officer)).toEqual(['104', '107']);
  });

  it('issue 6 item 15: honours a "*" towns claim for CITY_ADMIN only; anyone else with "*" gets no town', () => {
    expect(townsOf(staffPrincipal({ roles: [Role.CITY_ADMIN], towns: ['*'] }))).toBe('*');
    expect(townsOf(staffPrincipal({ towns: ['*'] }))).toEqual([]);
    expect(townsOf(staffPrincipal({ towns: ['104', '*'] }))).toEqual([]);
    expect(townFilter(staffPrincipal({ towns: ['*'] }))).toEqual([]);
    expect(canSeeTown(staffPrincipal({ towns: ['*'] }), '104')).toBe(false);
  });

  it('issue 6 item 7: TEAM_MEMBER, SUBJECT and non-casework roles reach no town', () => {
    for (const role of [Role.TEAM_MEMBER, Role.SUBJECT, Role.AUDITOR, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN]) {
      expect(townsOf(staffPrincipal({ roles: [role], towns: ['104'] }))).toEqual([]);
    }
  });
});

describe(canSeeTown.name, () => {
  it('is true only inside the jurisdiction', () => {
    expect(canSeeTown(officer, '104')).toBe(true);
    expect(canSeeTown(officer, '105')).toBe(false);
    expect(canSeeTown(officer, null)).toBe(false);
    expect(canSeeTown(admin, '105')).toBe(true);
  });
});

describe(assertTownVisible.name, () => {
  it('throws NOT_FOUND (never FORBIDDEN) for another town', () => {
    expect(() => assertTownVisible(officer, '104')).not.toThrow();
    try {
      assertTownVisible(officer, '105');
      throw new Error('expected a DomainError');
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe(DomainErrorCode.NOT_FOUND);
    }
  });
});

describe(townFilter.name, () => {
  it('intersects the requested town with the jurisdiction', () => {
    expect(townFilter(officer)).toEqual(['104', '107']);
    expect(townFilter(officer, '107')).toEqual(['107']);
    expect(townFilter(officer, '105')).toEqual([]);
    expect(townFilter(staffPrincipal({ towns: [] }))).toEqual([]);
  });

  it('gives every town to CITY_ADMIN, or the one requested', () => {
    expect(townFilter(admin)).toEqual(TOWNS.map((t) => t.code));
    expect(townFilter(admin, '105')).toEqual(['105']);
  });
});

describe(personScope.name, () => {
  const worker = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'], caseload: ['pk-a'] });

  it('issue 6 item 7: a social worker sees its assigned persons of its towns, never a whole town', () => {
    expect(isCaseloadBound(worker)).toBe(true);
    expect(isCaseloadBound(staffPrincipal({ roles: [Role.SOCIAL_WORKER, Role.TOWN_OFFICER] }))).toBe(false);
    expect(personScope(worker)).toEqual({ towns: ['104'], personKeys: ['pk-a'] });
    expect(canSeePerson(worker, '104', 'pk-a')).toBe(true);
    expect(canSeePerson(worker, '104', 'pk-b')).toBe(false);
    expect(canSeePerson(worker, '105', 'pk-a')).toBe(false);
    expect(canSeeTown(worker, '104')).toBe(false);
    expect(townFilter(worker)).toEqual([]);
  });

  it('issue 6 item 7: a social worker without a loaded caseload sees nobody', () => {
    const bare = staffPrincipal({ roles: [Role.SOCIAL_WORKER], towns: ['104'] });
    expect(personScope(bare)).toEqual({ towns: [], personKeys: [] });
    expect(canSeePerson(bare, '104', 'pk-a')).toBe(false);
  });

  it('leaves town officers and the city admin unfiltered by person', () => {
    expect(personScope(officer)).toEqual({ towns: ['104', '107'], personKeys: null });
    expect(canSeePerson(officer, '104', undefined)).toBe(true);
  });
});

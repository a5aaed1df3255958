import { DomainError, DomainErrorCode, Role, TOWNS } from '@homeward/domain';
import { staffPrincipal } from '../testing';
import { assertTownVisible, canSeeTown, townFilter, townsOf } from './jurisdiction';

const officer = staffPrincipal({ towns: ['104', '107'] });
const admin = staffPrincipal({ roles: [Role.CITY_ADMIN], towns: [] });

describe(townsOf.name, () => {
  it('gives * for CITY_ADMIN and the token towns otherwise', () => {
    expect(townsOf(admin)).toBe('*');
    expect(townsOf(staffPrincipal({ towns: ['*'] }))).toBe('*');
    expect(townsOf(officer)).toEqual(['104', '107']);
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

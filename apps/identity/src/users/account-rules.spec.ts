import { DomainError, DomainErrorCode, Role } from '@homeward/domain';
import {
  ALL_TOWNS,
  assertPasswordPolicy,
  assertUsername,
  normaliseAccess,
  normaliseUsername,
  passwordClasses,
  passwordProblems,
} from './account-rules';

function codeOf(fn: () => unknown): DomainErrorCode | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code as DomainErrorCode;
    throw e;
  }
  return undefined;
}

describe('password policy', () => {
  it.each([
    ['Abcdefgh12', 3],
    ['abcdefgh1!', 3],
    ['ABCDEFGH1!', 3],
    ['Abcdefgh!x', 3],
    ['Abcdef1!gh', 4],
  ])('accepts %s (%d classes)', (password, classes) => {
    expect(passwordClasses(password)).toBe(classes);
    expect(passwordProblems(password)).toEqual([]);
    expect(() => assertPasswordPolicy(password)).not.toThrow();
  });

  it('rejects a password shorter than 10 characters even with 4 classes', () => {
    expect(passwordProblems('Ab1!Ab1!a')).toHaveLength(1);
    expect(codeOf(() => assertPasswordPolicy('Ab1!Ab1!a'))).toBe(DomainErrorCode.VALIDATION_FAILED);
  });

  it.each(['abcdefghijkl', 'abcdefgh1234', 'ABCDEFGH!!!!', '1234567890!!', 'abcdefghiJKL'])(
    'rejects %s: fewer than 3 character classes',
    (password) => {
      expect(passwordClasses(password)).toBeLessThan(3);
      expect(passwordProblems(password)).toHaveLength(1);
    },
  );

  it('counts characters, not UTF-16 units, and treats CJK as "other"', () => {
    expect(passwordProblems('密码Abc12345')).toEqual([]);
  });

  it('rejects an absurdly long password', () => {
    expect(passwordProblems('Aa1!'.repeat(40))).toHaveLength(1);
  });

  it('reports every problem at once', () => {
    expect(passwordProblems('abc')).toHaveLength(2);
  });
});

describe('usernames', () => {
  it('normalises case and whitespace', () => {
    expect(normaliseUsername('  Officer.XXK ')).toBe('officer.xxk');
  });
  it.each(['ab', '.lead', 'with space', 'x'.repeat(65), '中文名'])('rejects %s', (u) => {
    expect(codeOf(() => assertUsername(u))).toBe(DomainErrorCode.VALIDATION_FAILED);
  });
  it.each(['city.admin', 'officer.xxk', 'a_b-c1'])('accepts %s', (u) => {
    expect(() => assertUsername(u)).not.toThrow();
  });
});

describe('normaliseAccess (roles, towns, separation of duties)', () => {
  it('needs at least one role', () => {
    expect(codeOf(() => normaliseAccess([], ['104']))).toBe(DomainErrorCode.VALIDATION_FAILED);
  });

  it('refuses PARTNER and unknown roles on a staff account', () => {
    expect(codeOf(() => normaliseAccess([Role.PARTNER], []))).toBe(DomainErrorCode.VALIDATION_FAILED);
    expect(codeOf(() => normaliseAccess(['ROOT'], []))).toBe(DomainErrorCode.VALIDATION_FAILED);
  });

  it.each([Role.AUDITOR, Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN])(
    'separation of duties: %s must be the only role of its account',
    (role) => {
      expect(codeOf(() => normaliseAccess([role, Role.TOWN_OFFICER], ['104']))).toBe(DomainErrorCode.VALIDATION_FAILED);
      expect(codeOf(() => normaliseAccess([role, Role.CITY_ADMIN], []))).toBe(DomainErrorCode.VALIDATION_FAILED);
      expect(normaliseAccess([role], [])).toEqual({ roles: [role], towns: [] });
    },
  );

  it('separation of duties: AUDITOR and SECURITY_ADMIN cannot share an account', () => {
    expect(codeOf(() => normaliseAccess([Role.AUDITOR, Role.SECURITY_ADMIN], []))).toBe(
      DomainErrorCode.VALIDATION_FAILED,
    );
  });

  it('exclusive roles take no towns', () => {
    expect(codeOf(() => normaliseAccess([Role.AUDITOR], ['104']))).toBe(DomainErrorCode.VALIDATION_FAILED);
  });

  it('TOWN_OFFICER needs at least one town', () => {
    expect(codeOf(() => normaliseAccess([Role.TOWN_OFFICER], []))).toBe(DomainErrorCode.VALIDATION_FAILED);
    expect(normaliseAccess([Role.TOWN_OFFICER], ['107', '104', '104'])).toEqual({
      roles: [Role.TOWN_OFFICER],
      towns: ['104', '107'],
    });
  });

  it('rejects an unknown town code', () => {
    expect(codeOf(() => normaliseAccess([Role.TOWN_OFFICER], ['999']))).toBe(DomainErrorCode.TOWN_UNKNOWN);
  });

  it('CITY_ADMIN implies every town', () => {
    expect(normaliseAccess([Role.CITY_ADMIN], [])).toEqual({ roles: [Role.CITY_ADMIN], towns: [ALL_TOWNS] });
    expect(normaliseAccess([Role.CITY_ADMIN], ['104'])).toEqual({ roles: [Role.CITY_ADMIN], towns: [ALL_TOWNS] });
  });

  it('only CITY_ADMIN may hold "*"', () => {
    expect(codeOf(() => normaliseAccess([Role.TOWN_OFFICER], [ALL_TOWNS]))).toBe(DomainErrorCode.VALIDATION_FAILED);
  });

  it('accepts role names in any case and drops duplicates', () => {
    expect(normaliseAccess(['town_officer', 'TOWN_OFFICER', 'social_worker'], ['104']).roles).toEqual([
      Role.TOWN_OFFICER,
      Role.SOCIAL_WORKER,
    ]);
  });
});


import { validateSync } from 'class-validator';
import { DomainError, DomainErrorCode } from '@homeward/domain';
import { RequestValidationException } from '../errors/problem';
import { toProblem } from '../errors/problem.mapper';
import { validationException } from '../errors/validation';
import { IsTownCode, UNKNOWN_TOWN_CONSTRAINT, isKnownTownCode, useTownCodeSource } from './is-town-code';

class Filter {
  @IsTownCode()
  town: unknown;
}

class Towns {
  @IsTownCode({ each: true })
  towns: unknown;
}

const errorsOf = (o: object) => validateSync(o).flatMap((e) => Object.values(e.constraints ?? {}));
const filter = (town: unknown) => Object.assign(new Filter(), { town });

describe('IsTownCode', () => {
  afterEach(() => useTownCodeSource());

  it('accepts every town of the reference data (104 徐霞客镇, 400 高新区, 001 澄江街道)', () => {
    for (const town of ['104', '400', '001']) expect(errorsOf(filter(town))).toEqual([]);
  });

  it('refuses a fake three-digit town "999" with a bilingual message naming the field and the value', () => {
    expect(errorsOf(filter('999'))).toEqual([
      'town: "999" is not a town code of Jiangyin (three digits, e.g. 104 徐霞客镇) / town："999" 不是江阴市的镇（街道）代码（三位数字，如 104 徐霞客镇）',
    ]);
  });

  it('refuses what is not a code at all (other lengths, letters, a number, null) once, as malformed', () => {
    for (const town of ['10', '1040', 'abc', ' 104', 104, null]) {
      expect(validateSync(filter(town)).flatMap((e) => Object.keys(e.constraints ?? {}))).toEqual(['isTownCodeShape']);
    }
    expect(errorsOf(filter('10a'))).toEqual([
      'town must be a three-digit town code of Jiangyin (e.g. 104 徐霞客镇) / town 应为三位数字的江阴市镇（街道）代码（如 104 徐霞客镇）',
    ]);
  });

  it('a well-formed unknown code fails the reference-data constraint alone (what the pipe answers with 422)', () => {
    expect(validateSync(filter('999')).flatMap((e) => Object.keys(e.constraints ?? {}))).toEqual([UNKNOWN_TOWN_CONSTRAINT]);
  });

  it('checks each code of a list with { each: true }', () => {
    expect(errorsOf(Object.assign(new Towns(), { towns: ['104', '107'] }))).toEqual([]);
    expect(errorsOf(Object.assign(new Towns(), { towns: ['104', '999'] }))).toHaveLength(1);
  });
});

describe('isKnownTownCode / useTownCodeSource', () => {
  afterEach(() => useTownCodeSource());

  it('asks the compiled towns until a source is given', () => {
    expect(isKnownTownCode('104')).toBe(true);
    expect(isKnownTownCode('999')).toBe(false);
  });

  it('a loaded snapshot replaces the source for the validator too (a new town 500 accepted, a closed 104 refused)', () => {
    useTownCodeSource(new Set(['500', '107']));
    expect(isKnownTownCode('500')).toBe(true);
    expect(isKnownTownCode('104')).toBe(false);
    expect(errorsOf(filter('500'))).toEqual([]);
    expect(errorsOf(filter('104'))).toHaveLength(1);
  });

  it('a predicate works as a source; no argument restores the compiled towns', () => {
    useTownCodeSource((code) => code === '999');
    expect(isKnownTownCode('999')).toBe(true);
    useTownCodeSource();
    expect(isKnownTownCode('999')).toBe(false);
  });

  it('whatever the source says, only three digits are a code', () => {
    useTownCodeSource(() => true);
    expect(isKnownTownCode('10a')).toBe(false);
  });
});

describe('validationException (the global pipe) and IsTownCode', () => {
  class Mixed {
    @IsTownCode()
    town: unknown;

    @IsTownCode()
    other: unknown;
  }

  it('an unknown town alone is the domain\'s TOWN_UNKNOWN (422) naming the field', () => {
    const err = validationException(validateSync(filter('999')));
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe(DomainErrorCode.TOWN_UNKNOWN);
    expect((err as DomainError).field).toBe('town');
    expect(toProblem(err).problem.status).toBe(422);
  });

  it('a malformed field beside it keeps the 400 listing every field', () => {
    const err = validationException(validateSync(Object.assign(new Mixed(), { town: '999', other: 'x' })));
    expect(err).toBeInstanceOf(RequestValidationException);
    expect((err as RequestValidationException).errors.map((e) => e.field)).toEqual(['town', 'other']);
  });
});

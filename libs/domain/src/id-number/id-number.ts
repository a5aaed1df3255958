import { compareLocalDate, isLocalDate, localDateInShanghai, parseLocalDate, type LocalDate } from '../calendar/local-date';
import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { Gender } from '../enums/gender';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1900-01-01';

/** Which GB 11643 check an ID number failed (in `DomainError.details.check`). */
export type IdNumberCheck = 'LENGTH' | 'FORMAT' | 'CHECK_DIGIT' | 'BIRTH_DATE' | 'BIRTH_DATE_FUTURE' | 'BIRTH_DATE_TOO_EARLY';

export interface IdNumberParseOptions {
  /** "Today" for the not-in-the-future check; default: today in Asia/Shanghai. Pass the Clock's today(). */
  today?: LocalDate;
  /** Field name for the error, default `idNumber`. */
  field?: string;
}

/** The GB 11643 check character of the first 17 digits. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/**
 * A resident ID number (居民身份证号码, GB 11643-1999), normalised: trimmed, upper-case X.
 * `toString()` / `toJSON()` give the MASKED form so a number never leaks into logs by
 * accident; use `.value` deliberately.
 */
export class IdNumber {
  readonly value: string;
  readonly birthDate: LocalDate;
  readonly gender: Gender;
  readonly regionCode: string;

  private constructor(value: string, birthDate: LocalDate) {
    this.value = value;
    this.birthDate = birthDate;
    this.gender = Number(value[16]) % 2 === 1 ? Gender.MALE : Gender.FEMALE;
    this.regionCode = value.slice(0, 6);
  }

  /**
   * @throws DomainError(ID_NUMBER_INVALID) saying which check failed (English / 中文);
   *   `details.check` is one of IdNumberCheck. The message never repeats the number.
   */
  static parse(raw: string, options: IdNumberParseOptions = {}): IdNumber {
    const field = options.field ?? 'idNumber';
    const fail = (check: IdNumberCheck, message: string): never => {
      throw new DomainError(DomainErrorCode.ID_NUMBER_INVALID, message, { field, details: { check } });
    };
    const s = (typeof raw === 'string' ? raw : '').trim().replace(/x$/, 'X');
    if (s.length !== 18) {
      fail('LENGTH', `ID number must have 18 characters, got ${s.length} / 身份证号码应为18位`);
    }
    if (!/^\d{17}[\dX]$/.test(s)) {
      fail('FORMAT', 'ID number must be 17 digits followed by a digit or X / 身份证号码应为17位数字加1位数字或X');
    }
    if (idNumberCheckChar(s) !== s[17]) {
      fail('CHECK_DIGIT', 'ID number check digit is wrong (GB 11643) / 身份证号码校验码错误');
    }
    const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
    if (!isLocalDate(birthDate)) {
      fail('BIRTH_DATE', 'ID number characters 7–14 are not a real birth date / 身份证号码中的出生日期无效');
    }
    if (compareLocalDate(birthDate, EARLIEST_BIRTH_DATE) < 0) {
      fail('BIRTH_DATE_TOO_EARLY', 'ID number birth date is before 1900 / 身份证号码中的出生日期早于1900年');
    }
    const today = options.today ?? localDateInShanghai(new Date());
    if (compareLocalDate(birthDate, today) > 0) {
      fail('BIRTH_DATE_FUTURE', 'ID number birth date is in the future / 身份证号码中的出生日期晚于今天');
    }
    return new IdNumber(s, birthDate);
  }

  static isValid(raw: string, options: Omit<IdNumberParseOptions, 'field'> = {}): boolean {
    try {
      IdNumber.parse(raw, options);
      return true;
    } catch (e) {
      if (e instanceof DomainError) return false;
      throw e;
    }
  }

  /** First 6 + 8 `*` + last 4, e.g. `110105********002X`. */
  masked(): string {
    return `${this.value.slice(0, 6)}********${this.value.slice(14)}`;
  }

  /** Age in full years on `date` (the birthday counts from the day itself; 29 Feb → 1 Mar in common years). */
  ageOn(date: LocalDate): number {
    parseLocalDate(date);
    const by = Number(this.birthDate.slice(0, 4));
    const bmd = this.birthDate.slice(5);
    const y = Number(date.slice(0, 4));
    const md = date.slice(5);
    return y - by - (md < bmd ? 1 : 0);
  }

  equals(other: IdNumber): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.masked();
  }

  toJSON(): string {
    return this.masked();
  }
}

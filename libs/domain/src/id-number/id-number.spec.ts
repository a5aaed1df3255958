import { DomainError, DomainErrorCode } from '../errors/domain-error';
import { Gender } from '../enums/gender';
import { IdNumber, idNumberCheckChar, type IdNumberCheck } from './id-number';

const TODAY = '2025-06-01';
/** GB 11643 sample number (female, born 1949-12-31). */
const SAMPLE = '11010519491231002X';

function withCheck(first17: string): string {
  return first17 + idNumberCheckChar(first17);
}

function failure(raw: string, today = TODAY): DomainError {
  try {
    IdNumber.parse(raw, { today });
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`expected ${raw} to be rejected`);
}

describe(IdNumber.name, () => {
  describe('parse', () => {
    it('accepts the GB 11643 sample and reads it', () => {
      const id = IdNumber.parse(SAMPLE, { today: TODAY });
      expect(id.value).toBe(SAMPLE);
      expect(id.birthDate).toBe('1949-12-31');
      expect(id.gender).toBe(Gender.FEMALE);
      expect(id.regionCode).toBe('110105');
    });

    it('normalises a lower-case x and surrounding blanks', () => {
      expect(IdNumber.parse(' 11010519491231002x\n', { today: TODAY }).value).toBe(SAMPLE);
    });

    it('reads an odd 17th digit as MALE', () => {
      const male = withCheck('32028119850704001'); // 17th digit 1
      expect(IdNumber.parse(male, { today: TODAY }).gender).toBe(Gender.MALE);
      const female = withCheck('32028119850704002');
      expect(IdNumber.parse(female, { today: TODAY }).gender).toBe(Gender.FEMALE);
    });

    it('accepts a leap-day birth date and a birth date of today', () => {
      expect(IdNumber.parse(withCheck('32028120000229123'), { today: TODAY }).birthDate).toBe('2000-02-29');
      expect(IdNumber.parse(withCheck('32028120250601123'), { today: TODAY }).birthDate).toBe('2025-06-01');
    });

    it.each<[string, string, IdNumberCheck]>([
      ['too short', '11010519491231002', 'LENGTH'],
      ['too long', '11010519491231002X1', 'LENGTH'],
      ['empty', '', 'LENGTH'],
      ['a letter inside', '1101051949123100AX', 'FORMAT'],
      ['X not last', '1101051949123100X2', 'FORMAT'],
      ['full-width digits', '１１０１０５１９４９１２３１００２X', 'FORMAT'],
      ['a wrong check digit', '110105194912310021', 'CHECK_DIGIT'],
      ['X where a digit is due', withCheck('32028119850704001').slice(0, 17) + 'X', 'CHECK_DIGIT'],
      ['30 February', withCheck('32028120000230123'), 'BIRTH_DATE'],
      ['29 February in a common year', withCheck('32028120010229123'), 'BIRTH_DATE'],
      ['month 13', withCheck('32028119851301123'), 'BIRTH_DATE'],
      ['a future birth date', withCheck('32028120250602123'), 'BIRTH_DATE_FUTURE'],
      ['a birth date before 1900 (GB 11643 example 440524188001010014)', '440524188001010014', 'BIRTH_DATE_TOO_EARLY'],
    ])('rejects %s with ID_NUMBER_INVALID (%s)', (_label, raw, check) => {
      const error = failure(raw);
      expect(error.code).toBe(DomainErrorCode.ID_NUMBER_INVALID);
      expect(error.field).toBe('idNumber');
      expect(error.details).toEqual({ check });
      expect(error.message).toMatch(/[A-Za-z].* \/ .*身份证号码/);
    });

    it('never repeats the number in the message', () => {
      const raw = '110105194912310021';
      expect(failure(raw).message).not.toContain(raw);
    });

    it('names the field given', () => {
      try {
        IdNumber.parse('123', { field: 'person.idNumber' });
        throw new Error('not rejected');
      } catch (e) {
        expect((e as DomainError).field).toBe('person.idNumber');
      }
    });

    it('rejects a non-string without crashing', () => {
      expect(failure(undefined as unknown as string).code).toBe(DomainErrorCode.ID_NUMBER_INVALID);
    });
  });

  describe('isValid', () => {
    it('answers without throwing', () => {
      expect(IdNumber.isValid(SAMPLE)).toBe(true);
      expect(IdNumber.isValid('11010519491231002x')).toBe(true);
      expect(IdNumber.isValid('110105194912310021')).toBe(false);
      expect(IdNumber.isValid(withCheck('32028120300101123'), { today: TODAY })).toBe(false);
    });
  });

  describe('masked', () => {
    it('keeps the first 6 and last 4 characters', () => {
      const id = IdNumber.parse(SAMPLE, { today: TODAY });
      expect(id.masked()).toBe('110105********002X');
      expect(String(id)).toBe('110105********002X');
      expect(JSON.stringify({ id })).toBe('{"id":"110105********002X"}');
    });
  });

  describe('ageOn', () => {
    it('counts full years, the birthday included', () => {
      const id = IdNumber.parse(SAMPLE, { today: TODAY });
      expect(id.ageOn('2025-12-30')).toBe(75);
      expect(id.ageOn('2025-12-31')).toBe(76);
      expect(id.ageOn('1949-12-31')).toBe(0);
    });

    it('a 29 February birthday comes on 1 March in a common year', () => {
      const id = IdNumber.parse(withCheck('32028120000229123'), { today: TODAY });
      expect(id.ageOn('2018-02-28')).toBe(17);
      expect(id.ageOn('2018-03-01')).toBe(18);
      expect(id.ageOn('2020-02-29')).toBe(20);
    });

    it('rejects a non-date', () => {
      expect(() => IdNumber.parse(SAMPLE, { today: TODAY }).ageOn('2025-02-30')).toThrow(DomainError);
    });
  });

  describe('equals', () => {
    it('compares normalised values', () => {
      expect(IdNumber.parse(SAMPLE).equals(IdNumber.parse('11010519491231002x'))).toBe(true);
      expect(IdNumber.parse(SAMPLE).equals(IdNumber.parse(withCheck('32028119850704001')))).toBe(false);
    });
  });
});

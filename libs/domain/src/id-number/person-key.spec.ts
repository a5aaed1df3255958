import { createHmac } from 'node:crypto';
import { IdNumber } from './id-number';
import { isPersonKey, personKeyOf } from './person-key';

const SECRET = 'a-test-secret-of-at-least-32-characters!';

describe(personKeyOf.name, () => {
  it('is the hex HMAC-SHA256 of the normalised number', () => {
    const key = personKeyOf(IdNumber.parse('11010519491231002X'), SECRET);
    expect(key).toBe(createHmac('sha256', SECRET).update('11010519491231002X').digest('hex'));
    expect(isPersonKey(key)).toBe(true);
  });

  it('gives the same key for a lower-case x (normalised before hashing)', () => {
    expect(personKeyOf(IdNumber.parse('11010519491231002x'), SECRET)).toBe(
      personKeyOf(IdNumber.parse('11010519491231002X'), SECRET),
    );
  });

  it('differs by secret', () => {
    const id = IdNumber.parse('11010519491231002X');
    expect(personKeyOf(id, SECRET)).not.toBe(personKeyOf(id, `${SECRET}2`));
  });

  it('refuses a secret shorter than 32 characters', () => {
    const id = IdNumber.parse('11010519491231002X');
    expect(() => personKeyOf(id, 'x'.repeat(31))).toThrow(/at least 32/);
    expect(personKeyOf(id, 'x'.repeat(32))).toHaveLength(64);
  });

  it('isPersonKey rejects other shapes', () => {
    expect(isPersonKey('ABC')).toBe(false);
    expect(isPersonKey('A'.repeat(64))).toBe(false);
  });
});

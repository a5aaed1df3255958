import { createHmac } from 'node:crypto';
import { IdNumber } from '@homeward/domain';
import { FieldCipher, PersonKeys, maskIdNumber, normalisePersonName } from './field-cipher';
import { encryptedColumn, migrationCrypto, useColumnCipher } from './encrypted-column';

const KEY = Buffer.alloc(32, 9).toString('base64');
const OTHER_KEY = Buffer.alloc(32, 3).toString('base64');
const SECRET = 'a-person-key-secret-of-32-chars!!';
// A valid GB 11643 number (check digit X).
const ID = '11010519491231002X';

describe(FieldCipher.name, () => {
  const cipher = new FieldCipher({ FIELD_ENCRYPTION_KEY: KEY });

  describe('encrypt/decrypt', () => {
    it('round-trips, with a v1.<iv>.<tag>.<ct> token and a fresh IV each time', () => {
      const a = cipher.encrypt('320281199001011234');
      const b = cipher.encrypt('320281199001011234');
      expect(a).toMatch(/^v1\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+\.[A-Za-z0-9+/=]+$/);
      expect(a).not.toBe(b);
      expect(Buffer.from(a.split('.')[1], 'base64')).toHaveLength(12);
      expect(cipher.decrypt(a)).toBe('320281199001011234');
      expect(cipher.decrypt(cipher.encrypt('张三 住址'))).toBe('张三 住址');
    });

    it('detects a tampered ciphertext', () => {
      const [v, iv, tag, ct] = cipher.encrypt('secret value').split('.');
      const bytes = Buffer.from(ct, 'base64');
      bytes[0] ^= 0x01;
      expect(() => cipher.decrypt([v, iv, tag, bytes.toString('base64')].join('.'))).toThrow(/failed authentication/);
    });

    it('detects a tampered tag and a foreign key', () => {
      const token = cipher.encrypt('secret value');
      const parts = token.split('.');
      const tag = Buffer.from(parts[2], 'base64');
      tag[3] ^= 0xff;
      expect(() => cipher.decrypt([parts[0], parts[1], tag.toString('base64'), parts[3]].join('.'))).toThrow();
      expect(() => new FieldCipher({ FIELD_ENCRYPTION_KEY: OTHER_KEY }).decrypt(token)).toThrow(/failed authentication/);
    });

    it('refuses malformed tokens', () => {
      expect(() => cipher.decrypt('not-a-token')).toThrow(/not a v1 token/);
      expect(() => cipher.decrypt('v1.AAAA.BBBB.CCCC')).toThrow(/malformed/);
    });
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => new FieldCipher({ FIELD_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/32 bytes/);
  });
});

describe(PersonKeys.name, () => {
  const keys = new PersonKeys({ PERSON_KEY_SECRET: SECRET });

  it('gives the same 64-hex key for a string and a parsed IdNumber, lower-case x normalised', () => {
    const k = keys.of(ID);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.of(IdNumber.parse(ID))).toBe(k);
    expect(keys.of(ID.toLowerCase())).toBe(k);
  });

  it('depends on the secret', () => {
    expect(new PersonKeys({ PERSON_KEY_SECRET: `${SECRET}x` }).of(ID)).not.toBe(keys.of(ID));
  });
});

describe(maskIdNumber.name, () => {
  it('shows the first 6 and last 4 characters', () => {
    expect(maskIdNumber('320281199001011234')).toBe('320281********1234');
    expect(maskIdNumber('short')).toBe('*****');
    expect(maskIdNumber(null)).toBe('');
  });
});

describe('PersonKeys.nameIndex (issue 6 item 2: keyed blind index of a name)', () => {
  const keys = new PersonKeys({ PERSON_KEY_SECRET: SECRET });

  it('is 64 hex, equal for names equal after normalisation (spaces, full-width, middle dots, case)', () => {
    const k = keys.nameIndex('张三');
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.nameIndex(' 张 三 ')).toBe(k);
    expect(keys.nameIndex('阿卜杜・热合曼')).toBe(keys.nameIndex('阿卜杜·热合曼'));
    expect(keys.nameIndex('ＺＨＡＮＧ San')).toBe(keys.nameIndex('zhangsan'));
    expect(normalisePersonName(' 阿卜杜•热合曼 ')).toBe('阿卜杜·热合曼');
  });

  it('differs for another name, is not a prefix match, and depends on the secret', () => {
    expect(keys.nameIndex('张三丰')).not.toBe(keys.nameIndex('张三'));
    expect(new PersonKeys({ PERSON_KEY_SECRET: `${SECRET}x` }).nameIndex('张三')).not.toBe(keys.nameIndex('张三'));
  });

  it('is domain-separated from the personKey: not the plain HMAC of the name under PERSON_KEY_SECRET', () => {
    expect(keys.nameIndex('张三')).not.toBe(createHmac('sha256', SECRET).update('张三').digest('hex'));
  });
});

describe('encryptedColumn (issue 6 item 2)', () => {
  it('stores a FieldCipher token and reads it back; null stays null', () => {
    const cipher = new FieldCipher({ FIELD_ENCRYPTION_KEY: KEY });
    useColumnCipher(cipher);
    const stored = encryptedColumn.to('张三');
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain('张三');
    expect(cipher.decrypt(stored)).toBe('张三');
    expect(encryptedColumn.from(stored)).toBe('张三');
    expect(encryptedColumn.to(null)).toBeNull();
    expect(encryptedColumn.from(null)).toBeNull();
  });
});

describe('migrationCrypto (issue 6 item 2)', () => {
  it('builds the cipher and person keys from the environment, and names a missing variable', () => {
    const { cipher, personKeys } = migrationCrypto({ FIELD_ENCRYPTION_KEY: KEY, PERSON_KEY_SECRET: SECRET });
    expect(new FieldCipher({ FIELD_ENCRYPTION_KEY: KEY }).decrypt(cipher.encrypt('x'))).toBe('x');
    expect(personKeys.nameIndex('张三')).toBe(new PersonKeys({ PERSON_KEY_SECRET: SECRET }).nameIndex('张三'));
    expect(() => migrationCrypto({ PERSON_KEY_SECRET: SECRET })).toThrow(/FIELD_ENCRYPTION_KEY/);
    expect(() => migrationCrypto({ FIELD_ENCRYPTION_KEY: KEY })).toThrow(/PERSON_KEY_SECRET/);
  });
});

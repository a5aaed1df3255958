import { ENVELOPE_HEADER_BYTES, EnvelopeCipher } from './envelope-cipher';

const KEK = Buffer.alloc(32, 1).toString('base64');

describe(EnvelopeCipher.name, () => {
  const cipher = new EnvelopeCipher(KEK);

  it('issue 6 item 10: seals with a header + ciphertext and opens back, a fresh data key each time', () => {
    const plain = Buffer.from('判决书 content');
    const a = cipher.seal(plain, 'k1');
    const b = cipher.seal(plain, 'k1');
    expect(a.length).toBe(ENVELOPE_HEADER_BYTES + plain.length);
    expect(a.equals(b)).toBe(false);
    expect(a.includes(plain)).toBe(false);
    expect(EnvelopeCipher.isSealed(a)).toBe(true);
    expect(cipher.open(a, 'k1')).toEqual(plain);
  });

  it('refuses another aad, another key, an altered byte and a clear blob', () => {
    const sealed = cipher.seal(Buffer.from('x'), 'k1');
    expect(() => cipher.open(sealed, 'k2')).toThrow(/failed authentication/);
    expect(() => new EnvelopeCipher(Buffer.alloc(32, 2).toString('base64')).open(sealed, 'k1')).toThrow(/does not unwrap/);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1] ^= 1;
    expect(() => cipher.open(altered, 'k1')).toThrow(/failed authentication/);
    expect(EnvelopeCipher.isSealed(Buffer.from('plain old file'))).toBe(false);
    expect(() => cipher.open(Buffer.from('plain old file'))).toThrow(/not a sealed blob/);
    expect(() => new EnvelopeCipher(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

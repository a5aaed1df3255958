import { generateTotpSecret, isBase32Secret, matchTotp, totpCode, totpUri } from './totp';

describe('TOTP', () => {
  const secret = generateTotpSecret();
  const at = new Date('2026-03-02T08:00:10Z');
  const counter = Math.floor(at.getTime() / 30000);

  it('generates a base32 secret and an otpauth URI naming the issuer', () => {
    expect(isBase32Secret(secret)).toBe(true);
    expect(totpUri('city.admin', secret)).toMatch(/^otpauth:\/\/totp\/Homeward:city\.admin\?secret=[A-Z2-7]+&period=30&digits=6&algorithm=SHA1&issuer=Homeward$/);
  });

  it('accepts the current code and returns its counter', () => {
    expect(matchTotp(secret, totpCode(secret, at), at)).toBe(counter);
  });

  it('accepts a code one step old or one step ahead (±1 window)', () => {
    expect(matchTotp(secret, totpCode(secret, new Date(at.getTime() - 30000)), at)).toBe(counter - 1);
    expect(matchTotp(secret, totpCode(secret, new Date(at.getTime() + 30000)), at)).toBe(counter + 1);
  });

  it('refuses a code two steps old, a malformed code and a wrong code', () => {
    expect(matchTotp(secret, totpCode(secret, new Date(at.getTime() - 60000)), at)).toBeNull();
    expect(matchTotp(secret, 'abcdef', at)).toBeNull();
    const right = totpCode(secret, at);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    expect(matchTotp(secret, wrong, at)).toBeNull();
  });
});

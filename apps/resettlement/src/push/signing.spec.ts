import { signPush, signatureHeader, verifyPush } from './signing';

describe('RS-13 webhook signing', () => {
  it('RS-13: HMAC-SHA256 over timestamp + "." + body matches a fixed vector', () => {
    // echo -n '1700000000.{"kind":"HEALTH"}' | openssl dgst -sha256 -hmac 'whsec_test'
    expect(signPush('whsec_test', '1700000000', '{"kind":"HEALTH"}')).toBe(VECTOR);
  });

  it('RS-13: during a rotation both keys sign; a receiver holding either key verifies, a wrong key or altered body does not', () => {
    const header = signatureHeader([{ keyId: 'k2', secret: 'new' }, { keyId: 'k1', secret: 'old' }], '1700000000', 'body');
    expect(verifyPush(header, 'k1', 'old', '1700000000', 'body')).toBe(true);
    expect(verifyPush(header, 'k2', 'new', '1700000000', 'body')).toBe(true);
    expect(verifyPush(header, 'k1', 'new', '1700000000', 'body')).toBe(false);
    expect(verifyPush(header, 'k2', 'new', '1700000000', 'bodyx')).toBe(false);
    expect(verifyPush(header, 'k2', 'new', '1700000001', 'body')).toBe(false);
  });
});

const VECTOR = '870abd1b58779ace47cfc92e6a04cbc011da59c7007a2064164268121f338462';

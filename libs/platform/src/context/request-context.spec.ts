import { CLIENT_IP_HEADER, GATEWAY_SECRET_HEADER, carriesGatewaySecret, clientIpOf, normaliseIp } from './request-context';

const SECRET = 'a-gateway-secret-of-at-least-32-characters';
const req = (headers: Record<string, string>, remoteAddress = '::ffff:10.0.0.5') => ({ headers, socket: { remoteAddress } }) as unknown as Parameters<typeof clientIpOf>[0];

describe(clientIpOf.name, () => {
  it('issue 6 item 11: ignores X-Forwarded-For and the client-IP header without the secret', () => {
    expect(clientIpOf(req({ 'x-forwarded-for': '203.0.113.1', [CLIENT_IP_HEADER]: '203.0.113.2' }), SECRET)).toBe('10.0.0.5');
    expect(clientIpOf(req({ [GATEWAY_SECRET_HEADER]: 'wrong', [CLIENT_IP_HEADER]: '203.0.113.2' }), SECRET)).toBe('10.0.0.5');
    expect(clientIpOf(req({ [GATEWAY_SECRET_HEADER]: SECRET, [CLIENT_IP_HEADER]: '203.0.113.2' }), undefined)).toBe('10.0.0.5');
  });

  it('issue 6 item 11: takes the gateway\'s client-IP header with the secret (when it is an IP)', () => {
    expect(clientIpOf(req({ [GATEWAY_SECRET_HEADER]: SECRET, [CLIENT_IP_HEADER]: '203.0.113.2' }), SECRET)).toBe('203.0.113.2');
    expect(clientIpOf(req({ [GATEWAY_SECRET_HEADER]: SECRET, [CLIENT_IP_HEADER]: 'not an ip' }), SECRET)).toBe('10.0.0.5');
  });

  it('compares the secret whole, and normalises IPv4-mapped addresses', () => {
    expect(carriesGatewaySecret({ [GATEWAY_SECRET_HEADER]: SECRET.slice(0, -1) }, SECRET)).toBe(false);
    expect(carriesGatewaySecret({ [GATEWAY_SECRET_HEADER]: SECRET }, SECRET)).toBe(true);
    expect(normaliseIp('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normaliseIp('::1')).toBe('::1');
    expect(normaliseIp('x')).toBeUndefined();
  });
});

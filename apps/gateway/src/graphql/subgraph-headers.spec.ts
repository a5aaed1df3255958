import { applySubgraphHeaders } from './subgraph-headers';

describe(applySubgraphHeaders.name, () => {
  const caller = (h: Record<string, string>) => ({ headers: new Headers(h), requestId: 'req-1', clientIp: '10.0.0.7' });

  it('copies authorization, the request id and the language from the caller, nothing else', () => {
    const out = new Headers({ 'content-type': 'application/json' });
    applySubgraphHeaders(out, caller({ authorization: 'Bearer a.b.c', 'x-request-id': 'incoming', cookie: 'secret=1', 'accept-language': 'zh-CN' }), undefined);
    expect(out.get('authorization')).toBe('Bearer a.b.c');
    expect(out.get('x-request-id')).toBe('req-1');
    expect(out.get('accept-language')).toBe('zh-CN');
    expect(out.get('cookie')).toBeNull();
    expect(out.get('content-type')).toBe('application/json');
  });

  it("issue 6 items 11/12: sends the gateway secret and the client IP the gateway saw, never the caller's", () => {
    const out = new Headers({ 'x-homeward-gateway-secret': 'forged', 'x-homeward-client-ip': '203.0.113.9' });
    applySubgraphHeaders(out, caller({ 'x-homeward-gateway-secret': 'forged' }), 'the-secret');
    expect(out.get('x-homeward-gateway-secret')).toBe('the-secret');
    expect(out.get('x-homeward-client-ip')).toBe('10.0.0.7');
  });

  it("issue 8 item 8: marks the gateway's own requests (schema loading) so subgraphs log them at debug; never a caller's", () => {
    const own = new Headers();
    applySubgraphHeaders(own, undefined, 's');
    expect(own.get('x-homeward-gateway-own')).toBe('1');
    expect(own.get('authorization')).toBeNull();
    const forwarded = new Headers({ 'x-homeward-gateway-own': '1' });
    applySubgraphHeaders(forwarded, caller({ 'x-homeward-gateway-own': '1' }), 's');
    expect(forwarded.get('x-homeward-gateway-own')).toBeNull();
  });
});

import pino from 'pino';
import { Writable } from 'node:stream';
import { LOG_REDACT_PATHS, forwardedRequestSecret, requestLogLevel } from './logging.module';

describe('LOG_REDACT_PATHS', () => {
  it('keeps tokens, cookies and clear ID numbers out of the logs', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = pino({ redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' } }, sink);
    logger.info({
      req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1' } },
      body: { person: { idNumber: '320281199001011234', name: 'x' } },
      idNumber: '11010519491231002X',
    });
    const out = lines.join('');
    expect(out).not.toContain('abc.def.ghi');
    expect(out).not.toContain('sid=1');
    expect(out).not.toContain('320281199001011234');
    expect(out).not.toContain('11010519491231002X');
    expect(out).toContain('[redacted]');
  });
});

describe('requestLogLevel', () => {
  it("issue 8 item 8: the gateway's own schema polls log at debug, a caller's request at info, failures at error", () => {
    expect(requestLogLevel({ headers: { 'x-homeward-gateway-own': '1' } }, { statusCode: 200 })).toBe('debug');
    expect(requestLogLevel({ headers: {} }, { statusCode: 200 })).toBe('info');
    expect(requestLogLevel({ headers: {} }, { statusCode: 404 })).toBe('info');
    expect(requestLogLevel({ headers: { 'x-homeward-gateway-own': '1' } }, { statusCode: 502 })).toBe('error');
    expect(requestLogLevel({ headers: {} }, { statusCode: 200 }, new Error('boom'))).toBe('error');
  });

  it('issue 13: a subgraph logs a request the gateway forwarded (with its secret) at debug below 500 — the gateway logged it — and at error from 500; a wrong or missing secret stays info', () => {
    const secret = 's'.repeat(40);
    const forwarded = { headers: { 'x-homeward-gateway-secret': secret } };
    expect(requestLogLevel(forwarded, { statusCode: 200 }, undefined, secret)).toBe('debug');
    expect(requestLogLevel(forwarded, { statusCode: 404 }, undefined, secret)).toBe('debug');
    expect(requestLogLevel(forwarded, { statusCode: 503 }, undefined, secret)).toBe('error');
    expect(requestLogLevel({ headers: { 'x-homeward-gateway-secret': 'x'.repeat(40) } }, { statusCode: 200 }, undefined, secret)).toBe('info');
    expect(requestLogLevel(forwarded, { statusCode: 200 }, undefined, undefined)).toBe('info');
    // The gateway sets the secret on what it proxies, and logs every request it received at info.
    expect(requestLogLevel(forwarded, { statusCode: 200 }, undefined, forwardedRequestSecret('gateway', secret))).toBe('info');
    expect(forwardedRequestSecret('community-correction', secret)).toBe(secret);
  });
});

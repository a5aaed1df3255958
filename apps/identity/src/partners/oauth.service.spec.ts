import { FixedClock, type AuditWriter } from '@homeward/platform';
import type { LoginThrottle } from '../throttling/login-throttle.service';
import type { IdentityConfig } from '../config';
import type { TokensService } from '../keys/tokens.service';
import { OAuthError, OAuthService } from './oauth.service';
import type { PartnersService } from './partners.service';

describe(OAuthService.name, () => {
  function setup() {
    const findByClientId = jest.fn().mockResolvedValue(null);
    const mint = jest.fn();
    const record = jest.fn().mockResolvedValue(undefined);
    const service = new OAuthService(
      { findByClientId } as unknown as PartnersService,
      { mint } as unknown as TokensService,
      { record } as unknown as AuditWriter,
      { PARTNER_TOKEN_TTL_SECONDS: 3600 } as IdentityConfig,
      new FixedClock('2026-03-02T01:00:00.000Z'),
      {
        admitIp: jest.fn().mockResolvedValue(undefined),
        admitAccount: jest.fn().mockResolvedValue(undefined),
        isLocked: jest.fn().mockResolvedValue(false),
        acquireVerification: jest.fn().mockResolvedValue(async () => undefined),
        recordFailure: jest.fn().mockResolvedValue(undefined),
        recordSuccess: jest.fn().mockResolvedValue(undefined),
      } as unknown as LoginThrottle,
    );
    return { service, findByClientId, mint, record };
  }

  async function errorOf(p: Promise<unknown>): Promise<OAuthError> {
    const e = await p.then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(OAuthError);
    return e as OAuthError;
  }

  it('missing grant_type → invalid_request (400)', async () => {
    const e = await errorOf(setup().service.issueToken({ clientId: 'a', clientSecret: 'b' }));
    expect([e.error, e.status]).toEqual(['invalid_request', 400]);
  });

  it('another grant type → unsupported_grant_type (400), before any client lookup', async () => {
    const { service, findByClientId } = setup();
    const e = await errorOf(service.issueToken({ grantType: 'password', clientId: 'court-1', clientSecret: 'x' }));
    expect([e.error, e.status]).toEqual(['unsupported_grant_type', 400]);
    expect(findByClientId).not.toHaveBeenCalled();
  });

  it('unknown client → invalid_client (401), audited as a failure, no token minted', async () => {
    const { service, mint, record } = setup();
    const e = await errorOf(service.issueToken({ grantType: 'client_credentials', clientId: 'court-1', clientSecret: 'x' }));
    expect([e.error, e.status]).toEqual(['invalid_client', 401]);
    expect(mint).not.toHaveBeenCalled();
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'oauth.token', outcome: 'FAILURE', details: { reason: 'UNKNOWN_CLIENT' } }),
    );
  });

  it('missing credentials → invalid_client (401)', async () => {
    const e = await errorOf(setup().service.issueToken({ grantType: 'client_credentials', clientId: 'court-1' }));
    expect(e.error).toBe('invalid_client');
  });
});

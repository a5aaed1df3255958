import { Injectable } from '@nestjs/common';
import { Role } from '@homeward/domain';
import { AuditWriter, Clock } from '@homeward/platform';
import { IdentityConfig } from '../config';
import { burnVerification, verifySecret } from '../common/passwords';
import { TokensService } from '../keys/tokens.service';
import { LoginThrottle } from '../throttling/login-throttle.service';
import { PartnerClient } from './partner-client.entity';
import { CLIENT_ID_PATTERN, PartnersService } from './partners.service';

export interface PartnerToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** RFC 6749 §5.2 error codes this endpoint uses. */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'unsupported_grant_type';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
  }

  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}

/** The OAuth2 token endpoint's logic: client credentials grant (docs/partner-api.md, RFC 6749 §4.4). */
@Injectable()
export class OAuthService {
  constructor(
    private readonly partners: PartnersService,
    private readonly tokens: TokensService,
    private readonly audit: AuditWriter,
    private readonly config: IdentityConfig,
    private readonly clock: Clock,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * `POST /api/v1/oauth/token` with grant_type=client_credentials. Throws OAuthError per RFC 6749 §5.2, and a
   * 429 ProblemException over the per-IP or per-client_id rate limit (issue 6 item 9: checked before any
   * argon2 verification). LOCKOUT_THRESHOLD bad secrets from one IP lock that client_id for that IP only.
   */
  async issueToken(
    params: { grantType?: unknown; clientId?: unknown; clientSecret?: unknown },
    meta: { requestId?: string; ip?: string } = {},
  ): Promise<PartnerToken> {
    await this.throttle.admitIp(meta.ip);
    if (params.grantType === undefined || params.grantType === '') {
      throw new OAuthError('invalid_request', 'grant_type is required');
    }
    if (params.grantType !== 'client_credentials') {
      throw new OAuthError('unsupported_grant_type', 'only grant_type=client_credentials is supported');
    }
    const clientId = typeof params.clientId === 'string' ? params.clientId : '';
    const secret = typeof params.clientSecret === 'string' ? params.clientSecret : '';
    if (!clientId || !secret) throw new OAuthError('invalid_client', 'client authentication failed');
    if (await this.throttle.isLocked('client', clientId, meta.ip)) {
      await this.auditFailure(clientId, 'LOCKED', meta.requestId);
      throw new OAuthError('invalid_client', 'client authentication failed');
    }
    await this.throttle.admitAccount('client', clientId);

    const release = await this.throttle.acquireVerification(meta.ip);
    let client: PartnerClient | null;
    let ok: boolean;
    try {
      client = CLIENT_ID_PATTERN.test(clientId) ? await this.partners.findByClientId(clientId) : null;
      ok = client ? await this.secretMatches(client, secret) : await burnVerification(secret);
    } finally {
      await release();
    }
    if (!client || !ok) await this.throttle.recordFailure('client', clientId, meta.ip);
    if (!client || !ok || !client.active) {
      await this.auditFailure(clientId, !client ? 'UNKNOWN_CLIENT' : !ok ? 'BAD_SECRET' : 'INACTIVE', meta.requestId);
      throw new OAuthError('invalid_client', 'client authentication failed');
    }
    await this.throttle.recordSuccess('client', clientId, meta.ip);
    const { token, expiresIn } = await this.tokens.mint(
      {
        sub: client.clientId,
        kind: 'PARTNER',
        roles: [Role.PARTNER],
        towns: [],
        agk: client.agencyKind,
        agi: client.agencyId,
        scp: client.scopes,
      },
      this.config.PARTNER_TOKEN_TTL_SECONDS,
    );
    await this.audit.record({
      actor: {
        sub: client.clientId,
        kind: 'PARTNER',
        roles: [Role.PARTNER],
        towns: [],
        agencyKind: client.agencyKind,
        agencyId: client.agencyId,
        scopes: client.scopes,
      },
      action: 'oauth.token',
      entityType: 'partner_client',
      entityId: client.clientId,
      outcome: 'SUCCESS',
      requestId: meta.requestId,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
  }

  private async auditFailure(clientId: string, reason: string, requestId?: string): Promise<void> {
    await this.audit.record({
      actor: { anonymous: true },
      action: 'oauth.token',
      entityType: 'partner_client',
      entityId: clientId.slice(0, 100),
      outcome: 'FAILURE',
      requestId,
      details: { reason },
    });
  }

  /** The current secret, or the previous one while its grace period after a rotation lasts. */
  private async secretMatches(client: PartnerClient, secret: string): Promise<boolean> {
    if (await verifySecret(client.secretHash, secret)) return true;
    const until = client.previousSecretValidUntil;
    if (!client.previousSecretHash || !until || until.getTime() <= this.clock.now().getTime()) return false;
    return verifySecret(client.previousSecretHash, secret);
  }
}

import { Injectable } from '@nestjs/common';
import { Role } from '@homeward/domain';
import { AuditWriter } from '@homeward/platform';
import { IdentityConfig } from '../config';
import { burnVerification, verifySecret } from '../common/passwords';
import { TokensService } from '../keys/tokens.service';
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

/** The OAuth2 token endpoint's logic: client credentials grant (PARTNER-API.md, RFC 6749 §4.4). */
@Injectable()
export class OAuthService {
  constructor(
    private readonly partners: PartnersService,
    private readonly tokens: TokensService,
    private readonly audit: AuditWriter,
    private readonly config: IdentityConfig,
  ) {}

  /** `POST /api/v1/oauth/token` with grant_type=client_credentials. Throws OAuthError per RFC 6749 §5.2. */
  async issueToken(
    params: { grantType?: unknown; clientId?: unknown; clientSecret?: unknown },
    meta: { requestId?: string } = {},
  ): Promise<PartnerToken> {
    if (params.grantType === undefined || params.grantType === '') {
      throw new OAuthError('invalid_request', 'grant_type is required');
    }
    if (params.grantType !== 'client_credentials') {
      throw new OAuthError('unsupported_grant_type', 'only grant_type=client_credentials is supported');
    }
    const clientId = typeof params.clientId === 'string' ? params.clientId : '';
    const secret = typeof params.clientSecret === 'string' ? params.clientSecret : '';
    if (!clientId || !secret) throw new OAuthError('invalid_client', 'client authentication failed');

    const client = CLIENT_ID_PATTERN.test(clientId) ? await this.partners.findByClientId(clientId) : null;
    const ok = client ? await verifySecret(client.secretHash, secret) : await burnVerification(secret);
    if (!client || !ok || !client.active) {
      await this.audit.record({
        actor: { anonymous: true },
        action: 'oauth.token',
        entityType: 'partner_client',
        entityId: clientId.slice(0, 100),
        outcome: 'FAILURE',
        requestId: meta.requestId,
        details: { reason: !client ? 'UNKNOWN_CLIENT' : !ok ? 'BAD_SECRET' : 'INACTIVE' },
      });
      throw new OAuthError('invalid_client', 'client authentication failed');
    }
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
}

import { Body, Controller, Headers, Ip, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@homeward/platform';
import { OAuthErrorDoc, TokenRequestDoc, TokenResponseDoc } from './dto/partner.types';
import { OAuthError, OAuthService } from './oauth.service';

/** client_secret_basic: `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
function basicCredentials(authorization: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  try {
    return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * OAuth2 token endpoint for partner agencies (client credentials, docs/partner-api.md). Answers in RFC 6749
 * form — `{ access_token, token_type, expires_in }` or `{ error, error_description }` — not problem+json.
 */
@ApiTags('oauth')
@Controller('api/v1/oauth')
export class OAuthController {
  constructor(private readonly oauth: OAuthService) {}

  @Public()
  @Post('token')
  @ApiOperation({ summary: 'Partner access token (client credentials) / 协作单位获取令牌' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDoc })
  @ApiOkResponse({ type: TokenResponseDoc })
  @ApiBadRequestResponse({ type: OAuthErrorDoc, description: 'invalid_request, unsupported_grant_type' })
  @ApiUnauthorizedResponse({ type: OAuthErrorDoc, description: 'invalid_client' })
  @ApiTooManyRequestsResponse({ description: 'problem+json: too many requests from this address or for this client_id; see Retry-After' })
  async token(
    @Body() body: Record<string, unknown> | undefined,
    @Res() res: Response,
    @Ip() ip: string,
    @Headers('authorization') authorization?: string,
    @Headers('x-request-id') requestId?: string,
  ): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    const params = body && typeof body === 'object' ? body : {};
    const basic = basicCredentials(authorization);
    try {
      const token = await this.oauth.issueToken(
        {
          grantType: params.grant_type,
          clientId: basic?.id ?? params.client_id,
          clientSecret: basic?.secret ?? params.client_secret,
        },
        { requestId, ip },
      );
      res.status(200).json(token);
    } catch (e) {
      if (!(e instanceof OAuthError)) throw e;
      if (e.status === 401) res.setHeader('WWW-Authenticate', basic ? 'Basic realm="homeward"' : 'Bearer realm="homeward"');
      res.status(e.status).json({ error: e.error, error_description: e.description });
    }
  }
}

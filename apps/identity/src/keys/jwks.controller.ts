import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@homeward/platform';
import { PublicJwk, SigningKeysService } from './signing-keys.service';

/** The public keys that verify Homeward tokens (RFC 7517 JWK Set). */
@ApiTags('keys')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeysService) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'JWK Set of the token signing keys / 令牌公钥' })
  @ApiOkResponse({ description: '{ keys: [{ kty, n, e, kid, alg, use }] }' })
  jwks(): Promise<{ keys: PublicJwk[] }> {
    return this.keys.jwks();
  }
}

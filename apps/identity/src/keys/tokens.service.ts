import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import * as jwt from 'jsonwebtoken';
import { AgencyKind, Role } from '@homeward/domain';
import { Clock } from '@homeward/platform';
import { SigningKeysService } from './signing-keys.service';

export const TOKEN_ISSUER = 'homeward-identity';
export const TOKEN_AUDIENCE = 'homeward';

/** The claims of a Homeward access token (docs/internals.md "Principal"). */
export interface AccessTokenClaims {
  sub: string;
  kind: 'STAFF' | 'PARTNER';
  usr?: string;
  roles: Role[];
  towns: string[];
  agk?: AgencyKind;
  agi?: string;
  scp?: string[];
  sid?: string;
}

export interface VerifiedClaims extends AccessTokenClaims {
  iat: number;
  exp: number;
  jti?: string;
}

export interface MintedToken {
  token: string;
  expiresIn: number;
}

/** Mints RS256 tokens with the active key, and verifies identity's own tokens (refresh). */
@Injectable()
export class TokensService {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly clock: Clock,
  ) {}

  /** Times come from the injected Clock so tokens agree with a controlled clock in tests. */
  async mint(claims: AccessTokenClaims, ttlSeconds: number): Promise<MintedToken> {
    const { kid, privateKey } = await this.keys.activeSigner();
    const iat = Math.floor(this.clock.now().getTime() / 1000);
    const payload: Record<string, unknown> = { ...dropUndefined(claims), iat, exp: iat + ttlSeconds, jti: randomUUID() };
    const token = jwt.sign(payload, privateKey, {
      algorithm: 'RS256',
      keyid: kid,
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
    });
    return { token, expiresIn: ttlSeconds };
  }

  /**
   * Verifies signature, issuer and audience of one of identity's tokens. With `ignoreExpiration` an expired
   * token is accepted (refresh: the idle timeout of its session decides instead). Returns null when invalid.
   */
  async verify(token: string, opts: { ignoreExpiration?: boolean } = {}): Promise<VerifiedClaims | null> {
    const decoded = jwt.decode(token, { complete: true });
    const kid = decoded && typeof decoded === 'object' ? decoded.header.kid : undefined;
    if (!kid) return null;
    const key = await this.keys.getKey(kid);
    if (!key) return null;
    try {
      const claims = jwt.verify(token, key, {
        algorithms: ['RS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        ignoreExpiration: opts.ignoreExpiration ?? false,
        clockTimestamp: Math.floor(this.clock.now().getTime() / 1000),
      });
      // A token without exp never expires for jsonwebtoken: identity never mints one, so refuse it.
      return typeof claims === 'object' && typeof claims.exp === 'number' ? (claims as unknown as VerifiedClaims) : null;
    } catch {
      return null;
    }
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

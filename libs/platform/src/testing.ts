/**
 * Test helpers of libs/platform (import from '@homeward/platform/testing', never from the index):
 * a key pair that mints access tokens the way identity does, so one app's tests can
 * authenticate without identity.
 */
import { KeyObject, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AgencyKind, Role, defaultPartnerScopes } from '@homeward/domain';
import { JwksProvider } from './auth/jwks';
import { generateRsaKeyPairSync } from './auth/rsa-keys';
import { JWT_AUDIENCE, JWT_ISSUER, Principal, claimsFromPrincipal } from './auth/principal';

export interface MintOptions {
  /** Seconds; default 900. Negative → already expired. */
  expiresInSeconds?: number;
  audience?: string;
  issuer?: string;
  kid?: string;
  /** Issue time; default now. */
  now?: Date;
}

export class TestKeys {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor(kid = `test-${randomUUID().slice(0, 8)}`) {
    this.kid = kid;
    const { privateKey, publicKey } = generateRsaKeyPairSync(2048);
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** A JWKS provider knowing only this key: `AuthModule.forRoot({ jwks: { useValue: keys.provider } })`. */
  get provider(): JwksProvider {
    return { getKey: async (kid: string) => (kid === this.kid ? this.publicKey : undefined) };
  }

  /** The JWKS document identity would serve. */
  jwks(): { keys: Array<Record<string, unknown>> } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256' }] };
  }

  /** An RS256 access token for `principal`, as identity mints it. */
  mint(principal: Principal, options: MintOptions = {}): string {
    const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const payload = { ...claimsFromPrincipal(principal), iat, exp: iat + (options.expiresInSeconds ?? 900) };
    return jwt.sign(payload, this.privateKey, {
      algorithm: 'RS256',
      keyid: options.kid ?? this.kid,
      issuer: options.issuer ?? JWT_ISSUER,
      audience: options.audience ?? JWT_AUDIENCE,
    });
  }
}

/** A staff principal (town officer of 104 unless overridden). */
export function staffPrincipal(overrides: Partial<Principal> = {}): Principal {
  return { sub: randomUUID(), kind: 'STAFF', username: 'officer', roles: [Role.TOWN_OFFICER], towns: ['104'], ...overrides };
}

/** A partner principal (a court unless overridden) holding every scope of its kind, as identity issues by default. */
export function partnerPrincipal(kind: AgencyKind = AgencyKind.COURT, overrides: Partial<Principal> = {}): Principal {
  return {
    sub: randomUUID(),
    kind: 'PARTNER',
    roles: [Role.PARTNER],
    towns: [],
    agencyKind: kind,
    agencyId: `agency-${kind.toLowerCase()}`,
    scopes: defaultPartnerScopes(kind),
    ...overrides,
  };
}

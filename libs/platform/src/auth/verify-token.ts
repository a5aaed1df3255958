import { Logger } from '@nestjs/common';
import { Counter, register } from 'prom-client';
import type { KeyObject } from 'node:crypto';
import jwt, { JwtHeader } from 'jsonwebtoken';
import { JwksProvider } from './jwks';
import { TokenRevocations } from './revocations';
import { JWT_AUDIENCE, JWT_ISSUER, Principal, principalFromClaims } from './principal';

/** Why a token was refused (logged and audited; the client only hears "401"). */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejected';
  }
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const h = Array.isArray(header) ? header[0] : header;
  if (!h) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)\s*$/i.exec(h);
  return m ? m[1] : undefined;
}

/**
 * Verifies an RS256 access token (issuer homeward-identity, audience homeward, `kid` known
 * to the JWKS provider, an `exp` claim) and returns its Principal. With `revocations`, a token whose
 * session, subject or signing key was revoked is refused too (issue 6 item 8). @throws TokenRejected.
 */
export async function verifyAccessToken(
  token: string,
  keys: JwksProvider,
  now: Date = new Date(),
  revocations?: TokenRevocations,
): Promise<Principal> {
  const { principal, kid, iat } = await verifySignedToken(token, keys, now);
  if (revocations) {
    const probe = { sub: principal.sub, sid: principal.sid, kid, iat };
    // issue 13: the in-process mirror answers while it is known to be complete; else Redis, as before
    const mirrored = revocations.mirroredReason(probe);
    let reason: string | undefined = mirrored?.reason;
    if (!mirrored) {
      try {
        reason = await withTimeout(revocations.revokedReason(probe), REVOCATION_CHECK_TIMEOUT_MS);
      } catch {
        // Without the revocation list a revoked token cannot be told from a valid one. Staff tokens fail
        // closed (a person can wait for Redis). Partner tokens — machines whose writes only need
        // PostgreSQL — are accepted, counted and logged, so a Redis outage loses no partner write
        // (issue 14 item 4); a deactivated partner is also refused new tokens by identity's database.
        if (principal.kind !== 'PARTNER') throw new TokenRejected('revocation list unavailable');
        revocationUnavailable(principal.kind);
      }
    }
    if (reason) throw new TokenRejected(reason);
  }
  return principal;
}

/** A token whose signature and claims were checked, kept by its exact text. */
interface VerifiedToken {
  claims: Record<string, unknown>;
  kid: string;
  /** The key that verified it: a hit counts only while the JWKS provider still hands out this very key. */
  key: KeyObject;
  exp: number;
  nbf?: number;
}

/** The claims with arrays of their own: a caller may change its principal (the caseload), never the remembered claims. */
function ownArrays(claims: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...claims };
  for (const k of ['roles', 'towns', 'scp']) if (Array.isArray(out[k])) out[k] = [...(out[k] as unknown[])];
  return out;
}

/** How many verified tokens a process remembers (oldest forgotten first). */
export const VERIFIED_TOKEN_CACHE_SIZE = 2000;
const verifiedTokens = new Map<string, VerifiedToken>();

/**
 * Issue 13 S2: the RS256 signature check (and the two JSON decodes around it) of a token seen before
 * is not repeated: the exact token text that verified with a key the provider still hands out is
 * the same token. A hit counts only strictly inside the token's validity (no clock tolerance; near
 * either end the full check runs and gives its own answer); the revocation list is asked on every
 * request all the same (a revoked session, subject or key is refused at once).
 */
async function verifySignedToken(token: string, keys: JwksProvider, now: Date): Promise<{ principal: Principal; kid: string; iat?: number }> {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const seen = verifiedTokens.get(token);
  if (seen && nowSeconds < seen.exp && (seen.nbf === undefined || seen.nbf <= nowSeconds) && (await keys.getKey(seen.kid)) === seen.key) {
    return { principal: principalFromClaims(ownArrays(seen.claims)), kid: seen.kid, iat: seen.claims.iat as number | undefined };
  }
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded === 'string') throw new TokenRejected('malformed token');
  const header = decoded.header as JwtHeader;
  if (header.alg !== 'RS256') throw new TokenRejected(`algorithm ${String(header.alg)} not accepted`);
  if (!header.kid) throw new TokenRejected('token has no kid');
  const key = await keys.getKey(header.kid);
  if (!key) throw new TokenRejected(`unknown kid ${header.kid}`);
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key, {
      algorithms: ['RS256'],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      clockTimestamp: Math.floor(now.getTime() / 1000),
      clockTolerance: 5,
    });
  } catch (e) {
    throw new TokenRejected((e as Error).message);
  }
  if (typeof payload === 'string') throw new TokenRejected('token payload is not an object');
  // jsonwebtoken accepts a token without `exp` as never expiring: Homeward tokens always carry one.
  if (typeof payload.exp !== 'number') throw new TokenRejected('token has no exp');
  let principal: Principal;
  try {
    principal = principalFromClaims(ownArrays(payload as Record<string, unknown>));
  } catch (e) {
    throw new TokenRejected((e as Error).message);
  }
  if (verifiedTokens.size >= VERIFIED_TOKEN_CACHE_SIZE) verifiedTokens.delete(verifiedTokens.keys().next().value as string);
  verifiedTokens.set(token, { claims: payload as Record<string, unknown>, kid: header.kid, key, exp: payload.exp, nbf: typeof payload.nbf === 'number' ? payload.nbf : undefined });
  return { principal, kid: header.kid, iat: payload.iat };
}

/** How long a verifier waits for the revocation list before treating Redis as unavailable. */
export const REVOCATION_CHECK_TIMEOUT_MS = 250;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    t.unref?.();
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}

let lastWarning = 0;
function revocationUnavailable(kind: string): void {
  const name = 'homeward_revocation_check_unavailable_total';
  const counter = (register.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help: 'Tokens accepted without the revocation list (Redis unavailable): partner tokens only', labelNames: ['kind'] });
  counter.inc({ kind });
  if (Date.now() - lastWarning > 10_000) {
    lastWarning = Date.now();
    new Logger('verifyAccessToken').warn('revocation list unavailable (Redis): partner tokens accepted without it, staff tokens refused');
  }
}

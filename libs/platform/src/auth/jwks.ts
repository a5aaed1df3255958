import { Logger } from '@nestjs/common';
import { JsonWebKey, KeyObject, createPublicKey } from 'node:crypto';

/** Where the auth guard gets the public key for a token's `kid`. */
export interface JwksProvider {
  getKey(kid: string): Promise<KeyObject | undefined>;
  /**
   * The JWKS changed (a key was rotated in or retired, announced on Redis): forget `kid` (or every
   * cached key for '*') and refetch. Optional: a fixed test provider has nothing to forget.
   */
  invalidate?(kid: string): Promise<void>;
}

/** Injection token: override it (identity does, from its own key store) to skip fetching over HTTP. */
export const JWKS_PROVIDER = Symbol('JWKS_PROVIDER');

export interface Jwk extends JsonWebKey {
  kid?: string;
  use?: string;
  alg?: string;
}

/** JWKS document → KeyObjects by kid (RSA signing keys only). */
export function keysFromJwks(doc: { keys?: Jwk[] }): Map<string, KeyObject> {
  const map = new Map<string, KeyObject>();
  for (const jwk of doc.keys ?? []) {
    if (!jwk.kid || jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
    map.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
  }
  return map;
}

/**
 * Fetches `${identityUrl}/.well-known/jwks.json`, caches the keys, and refetches when a
 * token names an unknown `kid` (key rotation) — at most once per `minRefetchMs` — when the cache is
 * older than `maxAgeMs` (60 s), and at once when a retirement is announced (`invalidate`).
 */
export class HttpJwksProvider implements JwksProvider {
  private readonly logger = new Logger('HttpJwksProvider');
  private keys = new Map<string, KeyObject>();
  private lastFetch = 0;
  private inflight?: Promise<void>;

  constructor(
    private readonly identityUrl: string,
    private readonly options: { minRefetchMs?: number; maxAgeMs?: number; timeoutMs?: number } = {},
  ) {}

  get url(): string {
    return `${this.identityUrl.replace(/\/+$/, '')}/.well-known/jwks.json`;
  }

  async getKey(kid: string): Promise<KeyObject | undefined> {
    const now = Date.now();
    const stale = now - this.lastFetch > this.maxAgeMs;
    if (!this.keys.has(kid) || stale) {
      if (stale || now - this.lastFetch >= (this.options.minRefetchMs ?? 5_000)) await this.refresh();
    }
    return this.keys.get(kid);
  }

  private get maxAgeMs(): number {
    return this.options.maxAgeMs ?? 60_000;
  }

  async invalidate(kid: string): Promise<void> {
    if (kid === '*') this.keys = new Map();
    else if (this.keys.has(kid)) {
      const next = new Map(this.keys);
      next.delete(kid);
      this.keys = next;
    }
    // A fetch already under way may have read the JWKS before the change: wait for it, then fetch again.
    await this.inflight?.catch(() => undefined);
    await this.refresh();
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetchKeys(): Promise<void> {
    try {
      const res = await fetch(this.url, { signal: AbortSignal.timeout(this.options.timeoutMs ?? 3_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.keys = keysFromJwks((await res.json()) as { keys?: Jwk[] });
      this.lastFetch = Date.now();
    } catch (e) {
      // Keep the old keys; try again on the next unknown kid after minRefetchMs.
      this.lastFetch = Date.now() - this.maxAgeMs + (this.options.minRefetchMs ?? 5_000);
      this.logger.warn(`cannot fetch JWKS from ${this.url}: ${(e as Error).message}`);
    }
  }
}

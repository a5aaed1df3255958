import { Logger } from '@nestjs/common';
import { JsonWebKey, KeyObject, createPublicKey } from 'node:crypto';

/** Where the auth guard gets the public key for a token's `kid`. */
export interface JwksProvider {
  getKey(kid: string): Promise<KeyObject | undefined>;
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
 * token names an unknown `kid` (key rotation) — at most once per `minRefetchMs`.
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
    const stale = now - this.lastFetch > (this.options.maxAgeMs ?? 10 * 60_000);
    if (!this.keys.has(kid) || stale) {
      if (stale || now - this.lastFetch >= (this.options.minRefetchMs ?? 5_000)) await this.refresh();
    }
    return this.keys.get(kid);
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
      this.lastFetch = Date.now() - (this.options.maxAgeMs ?? 10 * 60_000) + (this.options.minRefetchMs ?? 5_000);
      this.logger.warn(`cannot fetch JWKS from ${this.url}: ${(e as Error).message}`);
    }
  }
}

import type Redis from 'ioredis';

/**
 * What revokes a token before its `exp` (issue 6 item 8), kept in Redis so every app and every
 * replica sees it at the next verification:
 *
 * - `<prefix>:auth:revoked-sid:<sid>` — a staff session ended (logout, deactivation, password reset);
 *   every token carrying that `sid` is refused. TTL = the staff token lifetime (+ slack).
 * - `<prefix>:auth:not-before:<sub>` — epoch seconds; tokens of that subject issued before it are
 *   refused (partner client deactivated). TTL = the longest token lifetime (+ slack).
 * - `<prefix>:auth:retired-kid:<kid>` — a signing key left the JWKS; tokens it signed are refused even
 *   by a verifier whose key cache has not caught up. Retirement is also published on the channel
 *   `<prefix>:auth:keys-changed` (message: the kid) so verifiers drop the key and refetch the JWKS.
 */
export const KEYS_CHANGED_CHANNEL = 'auth:keys-changed';

/** Slack added to every TTL: the verifiers' clock tolerance and clock skew between replicas. */
export const REVOCATION_TTL_SLACK_SECONDS = 60;

/** What the verifier checks, taken from a token whose signature is already verified. */
export interface RevocationProbe {
  sub: string;
  sid?: string;
  kid?: string;
  /** Issued at, epoch seconds. */
  iat?: number;
}

export class TokenRevocations {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** The pub/sub channel on which key retirements and rotations are announced. */
  get channel(): string {
    return `${this.prefix}:${KEYS_CHANGED_CHANNEL}`;
  }

  private key(kind: 'revoked-sid' | 'not-before' | 'retired-kid', id: string): string {
    return `${this.prefix}:auth:${kind}:${id}`;
  }

  /** Every token of these sessions is refused from now on (for `ttlSeconds` + slack, the tokens' lifetime). */
  async revokeSessions(sids: readonly string[], ttlSeconds: number): Promise<void> {
    if (sids.length === 0) return;
    const multi = this.redis.multi();
    for (const sid of sids) multi.set(this.key('revoked-sid', sid), '1', 'EX', ttlSeconds + REVOCATION_TTL_SLACK_SECONDS);
    await exec(multi);
  }

  /**
   * Tokens of `sub` issued before `at` are refused (kept `ttlSeconds` + slack). `iat` has whole seconds:
   * with `sameSecond` (default) a token issued in the second of `at` is refused too; without it, it is
   * accepted (staff: the sessions open at `at` are revoked by sid anyway, and a login right after a password
   * reset must work).
   */
  async revokeSubject(sub: string, at: Date, ttlSeconds: number, sameSecond = true): Promise<void> {
    const notBefore = Math.floor(at.getTime() / 1000) + (sameSecond ? 1 : 0);
    await this.redis.set(this.key('not-before', sub), String(notBefore), 'EX', ttlSeconds + REVOCATION_TTL_SLACK_SECONDS);
  }

  /** Marks a retired signing key: its tokens are refused (then `publishKeysChanged(kid)` so caches drop it). */
  async markKeyRetired(kid: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.key('retired-kid', kid), '1', 'EX', ttlSeconds + REVOCATION_TTL_SLACK_SECONDS);
  }

  /** Announces a change of the JWKS (rotation or retirement); verifiers refetch it. */
  async publishKeysChanged(kid = '*'): Promise<void> {
    await this.redis.publish(this.channel, kid);
  }

  /** Why the token is revoked, or undefined when it is not. One round trip. @throws when Redis does not answer. */
  async revokedReason(p: RevocationProbe): Promise<string | undefined> {
    const [sid, notBefore, kid] = await this.redis.mget(
      p.sid ? this.key('revoked-sid', p.sid) : this.key('revoked-sid', '-'),
      this.key('not-before', p.sub),
      p.kid ? this.key('retired-kid', p.kid) : this.key('retired-kid', '-'),
    );
    if (p.sid && sid) return 'session revoked';
    if (notBefore && (p.iat === undefined || p.iat < Number(notBefore))) return 'token revoked';
    if (p.kid && kid) return 'signing key retired';
    return undefined;
  }
}

async function exec(multi: ReturnType<Redis['multi']>): Promise<void> {
  const results = await multi.exec();
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0];
}

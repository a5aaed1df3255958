import type Redis from 'ioredis';
import { Counter, register } from 'prom-client';
import { PublishedRevocation, RevocationMirror } from './revocation-mirror';

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
 *
 * Issue 13: every write is also published, in the same MULTI, on `<prefix>:auth:revocations` (a JSON
 * array of {key, value, ttlMs}); an app's RevocationMirror keeps a copy from it and answers checks
 * without a Redis read while it is known to be complete (revocation-mirror.ts).
 */
export const KEYS_CHANGED_CHANNEL = 'auth:keys-changed';
export const REVOCATIONS_CHANNEL = 'auth:revocations';

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

/** What a check answered from the mirror: `reason` undefined when the token is not revoked. */
export interface MirroredAnswer {
  reason?: string;
}

export class TokenRevocations {
  private mirror?: RevocationMirror;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** The pub/sub channel on which key retirements and rotations are announced. */
  get channel(): string {
    return `${this.prefix}:${KEYS_CHANGED_CHANNEL}`;
  }

  /** The pub/sub channel on which every revocation write is announced (for the mirrors). */
  get revocationsChannel(): string {
    return `${this.prefix}:${REVOCATIONS_CHANNEL}`;
  }

  /** `<prefix>:auth:` — what every revocation key starts with. */
  get keyPrefix(): string {
    return `${this.prefix}:auth:`;
  }

  /** Answers checks from `mirror` whenever it is ready (RevocationMirrorService sets it at boot). */
  useMirror(mirror: RevocationMirror | undefined): void {
    this.mirror = mirror;
  }

  private key(kind: 'revoked-sid' | 'not-before' | 'retired-kid', id: string): string {
    return `${this.prefix}:auth:${kind}:${id}`;
  }

  /** SET … EX for each revocation and one PUBLISH of them all, in one MULTI (both or neither). */
  private async write(items: ReadonlyArray<{ key: string; value: string; ttlSeconds: number }>): Promise<void> {
    const multi = this.redis.multi();
    const published: PublishedRevocation[] = [];
    for (const { key, value, ttlSeconds } of items) {
      multi.set(key, value, 'EX', ttlSeconds);
      published.push({ key, value, ttlMs: ttlSeconds * 1000 });
    }
    multi.publish(this.revocationsChannel, JSON.stringify(published));
    await exec(multi);
  }

  /** Every token of these sessions is refused from now on (for `ttlSeconds` + slack, the tokens' lifetime). */
  async revokeSessions(sids: readonly string[], ttlSeconds: number): Promise<void> {
    if (sids.length === 0) return;
    await this.write(sids.map((sid) => ({ key: this.key('revoked-sid', sid), value: '1', ttlSeconds: ttlSeconds + REVOCATION_TTL_SLACK_SECONDS })));
  }

  /**
   * Tokens of `sub` issued before `at` are refused (kept `ttlSeconds` + slack). `iat` has whole seconds:
   * with `sameSecond` (default) a token issued in the second of `at` is refused too; without it, it is
   * accepted (staff: the sessions open at `at` are revoked by sid anyway, and a login right after a password
   * reset must work).
   */
  async revokeSubject(sub: string, at: Date, ttlSeconds: number, sameSecond = true): Promise<void> {
    const notBefore = Math.floor(at.getTime() / 1000) + (sameSecond ? 1 : 0);
    await this.write([{ key: this.key('not-before', sub), value: String(notBefore), ttlSeconds: ttlSeconds + REVOCATION_TTL_SLACK_SECONDS }]);
  }

  /** Marks a retired signing key: its tokens are refused (then `publishKeysChanged(kid)` so caches drop it). */
  async markKeyRetired(kid: string, ttlSeconds: number): Promise<void> {
    await this.write([{ key: this.key('retired-kid', kid), value: '1', ttlSeconds: ttlSeconds + REVOCATION_TTL_SLACK_SECONDS }]);
  }

  /** Announces a change of the JWKS (rotation or retirement); verifiers refetch it. */
  async publishKeysChanged(kid = '*'): Promise<void> {
    await this.redis.publish(this.channel, kid);
  }

  /**
   * The answer of the in-process mirror, without a round trip — or undefined when the mirror is not
   * known to be complete (none, still loading, its subscriber lost): then ask `revokedReason`.
   */
  mirroredReason(p: RevocationProbe): MirroredAnswer | undefined {
    const mirror = this.mirror;
    if (!mirror?.ready) return undefined;
    checks().inc({ source: 'mirror' });
    return {
      reason: reasonOf(
        p,
        p.sid ? mirror.get(this.key('revoked-sid', p.sid)) : undefined,
        mirror.get(this.key('not-before', p.sub)),
        p.kid ? mirror.get(this.key('retired-kid', p.kid)) : undefined,
      ),
    };
  }

  /** Why the token is revoked, or undefined when it is not, read from Redis. One round trip. @throws when Redis does not answer. */
  async revokedReason(p: RevocationProbe): Promise<string | undefined> {
    checks().inc({ source: 'redis' });
    const [sid, notBefore, kid] = await this.redis.mget(
      p.sid ? this.key('revoked-sid', p.sid) : this.key('revoked-sid', '-'),
      this.key('not-before', p.sub),
      p.kid ? this.key('retired-kid', p.kid) : this.key('retired-kid', '-'),
    );
    return reasonOf(p, p.sid ? sid : null, notBefore, p.kid ? kid : null);
  }
}

/** The one rule, for the mirror and for Redis alike. */
function reasonOf(p: RevocationProbe, sid: string | null | undefined, notBefore: string | null | undefined, kid: string | null | undefined): string | undefined {
  if (p.sid && sid) return 'session revoked';
  if (notBefore && (p.iat === undefined || p.iat < Number(notBefore))) return 'token revoked';
  if (p.kid && kid) return 'signing key retired';
  return undefined;
}

function checks(): Counter<string> {
  const name = 'homeward_revocation_checks_total';
  return (
    (register.getSingleMetric(name) as Counter<string> | undefined) ??
    new Counter({ name, help: 'Token revocation checks, by where they were answered: the in-process mirror or a Redis read', labelNames: ['source'] })
  );
}

async function exec(multi: ReturnType<Redis['multi']>): Promise<void> {
  const results = await multi.exec();
  const failed = results?.find(([err]) => err);
  if (failed) throw failed[0];
}

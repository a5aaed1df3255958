import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type Redis from 'ioredis';
import { Clock, PLATFORM_REDIS, ProblemException, problemTitle } from '@homeward/platform';
import { IdentityConfig } from '../config';

/** Whose credentials are tried: a staff username or a partner client_id (separate key spaces). */
export type CredentialKind = 'user' | 'client';

const WINDOW_MS = 60_000;
/** Safety net: an in-flight counter left by a crashed request expires after this. */
const INFLIGHT_TTL_SECONDS = 30;

/**
 * Issue 6 item 9: the cheap checks that run before any argon2 verification on the login, token, refresh
 * and enrol endpoints, all on Redis so every identity replica shares them.
 *
 * - Rate limits (fixed one-minute windows, `@nest-lab/throttler-storage-redis`): per client IP
 *   (LOGIN_RATE_LIMIT_PER_IP, every such endpoint together) and per username / client_id from every IP
 *   (LOGIN_RATE_LIMIT_PER_ACCOUNT, kept above the per-IP limit so one address cannot use it up).
 *   Over a limit: 429 problem+json with Retry-After.
 * - At most LOGIN_CONCURRENCY_PER_IP argon2 verifications in flight per client IP; more answer 429 at once
 *   (`<p>:login:inflight:<ip>`), so a parallel burst cannot starve other logins of CPU.
 * - Lockout per account **and IP**: LOCKOUT_THRESHOLD failures from one IP lock that account for that IP
 *   for LOCKOUT_MINUTES; the same account from another address is not locked, so an attacker cannot lock
 *   anyone out. The lock's end is read with the injected clock (tests move it).
 *
 * Redis keys (under REDIS_PREFIX): `{<p>:throttle:auth-ip:<ip>:auth}:hits|blocked`,
 * `{<p>:throttle:auth-account:<kind>:<account>:auth}:hits|blocked`, `<p>:login:failures:<kind>:<account>:<ip>`,
 * `<p>:login:locked:<kind>:<account>:<ip>` (value: lock end, epoch ms).
 */
@Injectable()
export class LoginThrottle {
  private readonly storage: ThrottlerStorageRedisService;

  constructor(
    @Inject(PLATFORM_REDIS) private readonly redis: Redis,
    private readonly config: IdentityConfig,
    private readonly clock: Clock,
  ) {
    this.storage = new ThrottlerStorageRedisService(redis);
  }

  private get prefix(): string {
    return this.config.REDIS_PREFIX;
  }

  /** Counts a request from `ip` against the per-IP limit. @throws 429 ProblemException. */
  async admitIp(ip: string | undefined): Promise<void> {
    await this.hit(`${this.prefix}:throttle:auth-ip:${normaliseIp(ip)}`, this.config.LOGIN_RATE_LIMIT_PER_IP, 'client address / 来源地址');
  }

  /** Counts an attempt on `account` (from any IP) against the per-account limit. @throws 429 ProblemException. */
  async admitAccount(kind: CredentialKind, account: string): Promise<void> {
    await this.hit(
      `${this.prefix}:throttle:auth-account:${kind}:${keyPart(account)}`,
      this.config.LOGIN_RATE_LIMIT_PER_ACCOUNT,
      'account / 账号',
    );
  }

  /**
   * Takes one of the LOGIN_CONCURRENCY_PER_IP slots for a password / secret verification (argon2) from `ip`;
   * over it, 429 at once. A burst from one address thus keeps at most that many argon2 verifications busy,
   * so other callers' logins stay fast. Returns the release function (call it in `finally`).
   * @throws 429 ProblemException.
   */
  async acquireVerification(ip: string | undefined): Promise<() => Promise<void>> {
    const key = `${this.prefix}:login:inflight:${normaliseIp(ip)}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, INFLIGHT_TTL_SECONDS).exec()) as [[Error | null, number]];
    const release = async (): Promise<void> => {
      await this.redis.decr(key).catch(() => undefined);
    };
    if (count > this.config.LOGIN_CONCURRENCY_PER_IP) {
      await release();
      throw new ProblemException(
        429,
        problemTitle(429),
        'too many sign-in attempts at once from this client address; retry in 1 s / 同一地址并发登录过多，请 1 秒后重试',
        { retryAfterSeconds: 1 },
      );
    }
    return release;
  }

  /** Whether `account` is locked for requests from `ip` (by the injected clock). */
  async isLocked(kind: CredentialKind, account: string, ip: string | undefined): Promise<boolean> {
    const until = await this.redis.get(this.lockKey(kind, account, ip));
    return until !== null && Number(until) > this.clock.now().getTime();
  }

  /** Records a failure of `account` from `ip`; returns the lock's end when this failure locks the pair. */
  async recordFailure(kind: CredentialKind, account: string, ip: string | undefined): Promise<Date | undefined> {
    const lockSeconds = this.config.LOCKOUT_MINUTES * 60;
    const failures = this.failuresKey(kind, account, ip);
    const [[, count]] = (await this.redis.multi().incr(failures).expire(failures, lockSeconds, 'NX').exec()) as [[Error | null, number]];
    if (count < this.config.LOCKOUT_THRESHOLD) return undefined;
    const until = new Date(this.clock.now().getTime() + lockSeconds * 1000);
    await this.redis.multi().set(this.lockKey(kind, account, ip), String(until.getTime()), 'EX', lockSeconds).del(failures).exec();
    return until;
  }

  /** A success from `ip` clears that pair's failure count. */
  async recordSuccess(kind: CredentialKind, account: string, ip: string | undefined): Promise<void> {
    await this.redis.del(this.failuresKey(kind, account, ip));
  }

  /** Lifts every lock and failure count of `account` (from any IP): the security admin's unlock. */
  async clear(kind: CredentialKind, account: string): Promise<number> {
    let removed = 0;
    for (const pattern of [this.lockKey(kind, account, '*', true), this.failuresKey(kind, account, '*', true)]) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
        cursor = next;
        if (keys.length > 0) removed += await this.redis.del(...keys);
      } while (cursor !== '0');
    }
    return removed;
  }

  private lockKey(kind: CredentialKind, account: string, ip: string | undefined, raw = false): string {
    return `${this.prefix}:login:locked:${kind}:${keyPart(account)}:${raw ? ip : normaliseIp(ip)}`;
  }

  private failuresKey(kind: CredentialKind, account: string, ip: string | undefined, raw = false): string {
    return `${this.prefix}:login:failures:${kind}:${keyPart(account)}:${raw ? ip : normaliseIp(ip)}`;
  }

  private async hit(key: string, limit: number, what: string): Promise<void> {
    const r = await this.storage.increment(key, WINDOW_MS, limit, WINDOW_MS, 'auth');
    if (!r.isBlocked) return;
    const retryAfterSeconds = Math.max(1, r.timeToBlockExpire);
    throw new ProblemException(
      429,
      problemTitle(429),
      `too many sign-in attempts for this ${what}; retry in ${retryAfterSeconds} s / 登录尝试过于频繁，请 ${retryAfterSeconds} 秒后重试`,
      { retryAfterSeconds },
    );
  }
}

/** Redis-safe key part: no glob characters (the unlock scans with MATCH), bounded length. */
function keyPart(s: string): string {
  return encodeURIComponent(s.slice(0, 128)).replace(/[*?[\]]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
}

function normaliseIp(ip: string | undefined): string {
  const v = (ip ?? 'unknown').replace(/^::ffff:/, '');
  return keyPart(v || 'unknown');
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, DomainErrorCode, Role, requiresTotp } from '@homeward/domain';
import { AuditWriter, Clock, FieldCipher, ProblemException, TokenRevocations, activationCodeHash, returnedRows, type Principal } from '@homeward/platform';
import { IdentityConfig } from '../config';
import { burnVerification, hashSecret, verifySecret } from '../common/passwords';
import { matchTotp } from '../common/totp';
import { TokensService } from '../keys/tokens.service';
import { LoginThrottle } from '../throttling/login-throttle.service';
import { assertPasswordPolicy, assertUsername, isAppAccount, normaliseUsername } from '../users/account-rules';
import { User } from '../users/user.entity';
import { Session } from './session.entity';

export interface LoginCommand {
  username: string;
  password: string;
  totp?: string;
  /** SUBJECT / TEAM_MEMBER: the id of the device bound at activation (issue 12 item 1). */
  deviceId?: string;
}

/** Issue 12 item 1: a subject or team member turns a one-time code into a login on one device. */
export interface ActivateCommand {
  code: string;
  username: string;
  password: string;
  deviceId: string;
}

export interface AccessToken {
  accessToken: string;
  expiresIn: number;
}

export interface RequestMeta {
  requestId?: string;
  /** The client's IP (rate limits and the per-IP lockout, issue 6 item 9). */
  ip?: string;
}

/** Why a login failed; written to the audit log only, never shown to the caller. */
export type LoginFailure =
  | 'UNKNOWN_USER'
  | 'INACTIVE'
  | 'LOCKED'
  | 'BAD_PASSWORD'
  | 'TOTP_NOT_ENROLLED'
  | 'TOTP_MISSING'
  | 'TOTP_INVALID'
  | 'TOTP_REPLAYED'
  | 'DEVICE_NOT_BOUND'
  | 'APP_ACCOUNT_CLOSED';

/** Why an activation failed (audit only; the caller gets one answer). */
export type ActivationFailure = 'UNKNOWN_CODE' | 'SUPERSEDED' | 'EXPIRED' | 'ACCOUNT_CLOSED' | 'USED';

export const INVALID_ACTIVATION = 'activation code invalid or expired / 激活码无效或已过期，请联系司法所重新开通';

/** SHA-256 of a device id: what is kept of the bound device. */
export function deviceHash(deviceId: string): string {
  return createHash('sha256').update(deviceId, 'utf8').digest('hex');
}

export const INVALID_CREDENTIALS = 'invalid credentials / 用户名或密码错误';

/** One answer for every failure, so a caller cannot tell an unknown user from a wrong password or a lock. */
export function invalidCredentials(): ProblemException {
  return new ProblemException(401, 'Unauthorized / 未认证', INVALID_CREDENTIALS);
}

/** Staff login (password, TOTP for admin roles, lockout), session idle timeout, refresh and logout. */
@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: TokensService,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly config: IdentityConfig,
    private readonly revocations: TokenRevocations,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * The cheap checks come first (issue 6 item 9): the per-IP rate limit, the lock of this username for this
   * IP, the per-username rate limit — all on Redis — and only then the argon2 verification. A lock holds
   * for the IP that earned it only, so failures from one address do not lock the account elsewhere.
   */
  async login(cmd: LoginCommand, meta: RequestMeta = {}): Promise<AccessToken> {
    const username = normaliseUsername(typeof cmd.username === 'string' ? cmd.username : '');
    const password = typeof cmd.password === 'string' ? cmd.password : '';
    await this.throttle.admitIp(meta.ip);
    if (username && (await this.throttle.isLocked('user', username, meta.ip))) {
      await this.auditLogin(null, username, 'FAILURE', meta, 'LOCKED');
      throw invalidCredentials();
    }
    if (username) await this.throttle.admitAccount('user', username);
    const release = await this.throttle.acquireVerification(meta.ip);
    try {
      const user = username ? await this.dataSource.getRepository(User).findOne({ where: { username } }) : null;
      if (!user) {
        await burnVerification(password);
        const lockedUntil = username ? await this.throttle.recordFailure('user', username, meta.ip) : undefined;
        await this.auditLogin(null, username, 'FAILURE', meta, 'UNKNOWN_USER', undefined, undefined, lockedUntil);
        throw invalidCredentials();
      }
      const passwordOk = await verifySecret(user.passwordHash, password);
      const now = this.clock.now();
      if (!user.active) return await this.refuse(user, 'INACTIVE', meta, false);
      // locked_until is no longer set by failures (they lock per IP, on Redis); an account locked before still waits.
      if (user.lockedUntil && user.lockedUntil.getTime() > now.getTime()) return await this.refuse(user, 'LOCKED', meta, false);
      if (!passwordOk) return await this.refuse(user, 'BAD_PASSWORD', meta, true);
      if (isAppAccount(user.roles)) {
        if (!(await this.appAccountOpen(user.id))) return await this.refuse(user, 'APP_ACCOUNT_CLOSED', meta, false);
        if (!sameDevice(user.deviceHash, cmd.deviceId)) return await this.refuse(user, 'DEVICE_NOT_BOUND', meta, true);
      }

      let counter: number | null = null;
      if (requiresTotp(user.roles)) {
        if (!user.totpSecretCipher) return await this.refuse(user, 'TOTP_NOT_ENROLLED', meta, true);
        if (!cmd.totp) return await this.refuse(user, 'TOTP_MISSING', meta, true);
        counter = matchTotp(this.cipher.decrypt(user.totpSecretCipher), String(cmd.totp).trim(), now);
        if (counter === null) return await this.refuse(user, 'TOTP_INVALID', meta, true);
        if (user.totpLastCounter !== null && counter <= user.totpLastCounter) {
          return await this.refuse(user, 'TOTP_REPLAYED', meta, true);
        }
      }

      const session = await this.dataSource.transaction(async (em) => {
        // The conditional update makes a concurrent reuse of the same TOTP code lose the race.
        const [, affected] = (await em.query(
          `UPDATE identity.users
              SET failed_attempts = 0, locked_until = NULL, updated_at = $2,
                  totp_last_counter = COALESCE($3::bigint, totp_last_counter)
            WHERE id = $1 AND ($3::bigint IS NULL OR totp_last_counter IS NULL OR totp_last_counter < $3::bigint)`,
          [user.id, now, counter],
        )) as [unknown, number];
        if (affected === 0) return null;
        const row = em.create(Session, { userId: user.id, createdAt: now, lastSeenAt: now, endedAt: null });
        await em.insert(Session, row);
        await this.auditLogin(user, username, 'SUCCESS', meta, undefined, row.id, em);
        return row;
      });
      if (!session) return await this.refuse(user, 'TOTP_REPLAYED', meta, true);
      await this.throttle.recordSuccess('user', username, meta.ip);
      return await this.mintFor(user, session.id);
    } finally {
      await release();
    }
  }

  /**
   * Issue 12 item 1: the subject's or team member's first use (or a re-issue) of the one-time code the
   * town office issued: sets the username and password, binds the device, and logs in. A code is good
   * once, until it expires, unless a newer one superseded it or the account was closed; every failure
   * is the same 401 (the reason is audited). A re-activation ends the account's earlier sessions.
   */
  async activate(cmd: ActivateCommand, meta: RequestMeta = {}): Promise<AccessToken> {
    await this.throttle.admitIp(meta.ip);
    const release = await this.throttle.acquireVerification(meta.ip);
    try {
      const hash = activationCodeHash(typeof cmd.code === 'string' ? cmd.code : '');
      const [found] = (await this.dataSource.query(
        `SELECT a.id, a.account_id, a.expires_at, a.superseded_at, acc.role, acc.active,
                EXISTS (SELECT 1 FROM identity.activation_uses u WHERE u.activation_id = a.id) AS used
           FROM app_access.activations a JOIN app_access.accounts acc ON acc.account_id = a.account_id
          WHERE a.code_hash = $1`,
        [hash],
      )) as Array<{ id: string; account_id: string; expires_at: Date; superseded_at: Date | null; role: Role; active: boolean; used: boolean }>;
      const now = this.clock.now();
      const failure: ActivationFailure | null = !found
        ? 'UNKNOWN_CODE'
        : found.used
          ? 'USED'
          : found.superseded_at
            ? 'SUPERSEDED'
            : found.expires_at.getTime() <= now.getTime()
              ? 'EXPIRED'
              : !found.active
                ? 'ACCOUNT_CLOSED'
                : null;
      if (failure) {
        await this.throttle.recordFailure('user', `activation:${meta.ip ?? 'unknown'}`, meta.ip);
        await this.auditActivation(found?.account_id, 'FAILURE', meta, failure);
        throw new ProblemException(401, 'Unauthorized / 未认证', INVALID_ACTIVATION);
      }
      const username = normaliseUsername(typeof cmd.username === 'string' ? cmd.username : '');
      assertUsername(username);
      assertPasswordPolicy(typeof cmd.password === 'string' ? cmd.password : '');
      if (typeof cmd.deviceId !== 'string' || cmd.deviceId.trim().length < 8) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the device id is missing / 缺少设备标识', { field: 'deviceId' });
      }
      const passwordHash = await hashSecret(cmd.password);
      const accountId = found!.account_id;
      const { user, session, endedSessions } = await this.dataSource.transaction(async (em) => {
        const claimed = returnedRows<{ activation_id: string }>(
          await em.query(
            `INSERT INTO identity.activation_uses (activation_id, account_id, used_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING activation_id`,
            [found!.id, accountId, now],
          ),
        );
        if (claimed.length === 0) return { user: null, session: null, endedSessions: [] as string[] };
        const taken = await em.query(`SELECT 1 FROM identity.users WHERE username = $1 AND id <> $2`, [username, accountId]);
        if (taken.length > 0) throw new DomainError(DomainErrorCode.CONFLICT, `username ${username} is taken / 用户名已存在`, { field: 'username' });
        // The user before its sessions, the order of an administrator's change of the account (UsersService.change):
        // the sessions first deadlocked with it (a lock-order review, session 14).
        const existing = await em.findOne(User, { where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
        let ended: string[] = [];
        if (existing) {
          ended = returnedRows<{ id: string }>(
            await em.query(`UPDATE identity.sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL RETURNING id`, [accountId, now]),
          ).map((r) => r.id);
          Object.assign(existing, { username, passwordHash, deviceHash: deviceHash(cmd.deviceId), failedAttempts: 0, lockedUntil: null, active: true, passwordChangedAt: now, updatedAt: now });
          await em.save(existing);
        } else {
          await em.insert(User, {
            id: accountId,
            username,
            passwordHash,
            roles: [found!.role],
            towns: [],
            totpSecretCipher: null,
            totpLastCounter: null,
            deviceHash: deviceHash(cmd.deviceId),
            failedAttempts: 0,
            lockedUntil: null,
            active: true,
            passwordChangedAt: now,
            createdAt: now,
            updatedAt: now,
          });
        }
        const saved = (await em.findOne(User, { where: { id: accountId } }))!;
        const row = em.create(Session, { userId: accountId, createdAt: now, lastSeenAt: now, endedAt: null });
        await em.insert(Session, row);
        await this.auditActivation(accountId, 'SUCCESS', meta, undefined, { username, role: found!.role, sid: row.id, reactivation: !!existing }, em, saved);
        return { user: saved, session: row, endedSessions: ended };
      });
      if (!user || !session) {
        await this.auditActivation(accountId, 'FAILURE', meta, 'USED');
        throw new ProblemException(401, 'Unauthorized / 未认证', INVALID_ACTIVATION);
      }
      if (endedSessions.length > 0) await this.revocations.revokeSessions(endedSessions, this.config.ACCESS_TOKEN_TTL_SECONDS);
      return await this.mintFor(user, session.id);
    } finally {
      await release();
    }
  }

  /**
   * A new token for the session of `token` (which may have expired) if the session is open and was active
   * within IDLE_TIMEOUT_MINUTES. Roles and towns are read again, so changes take effect.
   */
  async refresh(token: string | undefined, meta: RequestMeta = {}): Promise<AccessToken> {
    await this.throttle.admitIp(meta.ip);
    const claims = token ? await this.tokens.verify(token, { ignoreExpiration: true }) : null;
    if (!claims || claims.kind !== 'STAFF' || !claims.sid) {
      await this.auditRefresh(null, claims?.sid, 'DENIED', meta, 'INVALID_TOKEN');
      throw invalidCredentials();
    }
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.IDLE_TIMEOUT_MINUTES * 60_000);
    const user = await this.dataSource.transaction(async (em) => {
      const [, touched] = (await em.query(
        `UPDATE identity.sessions SET last_seen_at = $3
          WHERE id = $1 AND user_id = $2 AND ended_at IS NULL AND last_seen_at >= $4`,
        [claims.sid, claims.sub, now, cutoff],
      )) as [unknown, number];
      if (touched === 0) {
        // Idle too long (or ended): close it for good.
        await em.query(`UPDATE identity.sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL`, [claims.sid, now]);
        return null;
      }
      const found = await em.findOne(User, { where: { id: claims.sub } });
      const closedApp = !!found && isAppAccount(found.roles) && !(await this.appAccountOpen(found.id));
      if (!found || !found.active || closedApp || (found.lockedUntil && found.lockedUntil.getTime() > now.getTime())) {
        await em.query(`UPDATE identity.sessions SET ended_at = $2 WHERE id = $1`, [claims.sid, now]);
        return null;
      }
      return found;
    });
    if (!user) {
      await this.auditRefresh(claims.sub, claims.sid, 'DENIED', meta, 'SESSION_EXPIRED');
      throw invalidCredentials();
    }
    return this.mintFor(user, claims.sid);
  }

  /**
   * Ends the caller's session (no-op for partner tokens and sessions already ended); its tokens are refused
   * from now on by every app (revocation list on Redis, issue 6 item 8).
   */
  async logout(principal: Principal, meta: RequestMeta = {}): Promise<void> {
    const { sub: userId, sid } = principal;
    if (principal.kind !== 'STAFF' || !sid) return;
    await this.dataSource.transaction(async (em) => {
      await em.query(`UPDATE identity.sessions SET ended_at = $3 WHERE id = $1 AND user_id = $2 AND ended_at IS NULL`, [
        sid,
        userId,
        this.clock.now(),
      ]);
      await this.revocations.revokeSessions([sid], this.config.ACCESS_TOKEN_TTL_SECONDS);
      await this.audit.record(
        {
          actor: principal,
          action: 'auth.logout',
          entityType: 'user',
          entityId: userId,
          outcome: 'SUCCESS',
          requestId: meta.requestId,
          details: { sid },
        },
        em,
      );
    });
  }

  private async mintFor(user: User, sid: string): Promise<AccessToken> {
    const { token, expiresIn } = await this.tokens.mint(
      { sub: user.id, kind: 'STAFF', usr: user.username, roles: user.roles, towns: user.towns, sid },
      this.config.ACCESS_TOKEN_TTL_SECONDS,
    );
    return { accessToken: token, expiresIn };
  }

  /**
   * Records the failure, then answers 401. When it `counts`, it adds to the account's failure count (shown to
   * security admins) and to the lockout count of this username from this IP (LOCKOUT_THRESHOLD → locked for
   * that IP for LOCKOUT_MINUTES).
   */
  private async refuse(user: User, reason: LoginFailure, meta: RequestMeta, counts: boolean): Promise<never> {
    const lockedUntil = counts ? await this.throttle.recordFailure('user', user.username, meta.ip) : undefined;
    await this.dataSource.transaction(async (em) => {
      if (counts) {
        await em.query(`UPDATE identity.users SET failed_attempts = failed_attempts + 1, updated_at = $2 WHERE id = $1`, [
          user.id,
          this.clock.now(),
        ]);
      }
      await this.auditLogin(user, user.username, 'FAILURE', meta, reason, undefined, em, lockedUntil ?? null);
    });
    throw invalidCredentials();
  }

  private async auditLogin(
    user: User | null,
    username: string,
    outcome: 'SUCCESS' | 'FAILURE',
    meta: RequestMeta,
    reason?: LoginFailure,
    sid?: string,
    em?: import('typeorm').EntityManager,
    lockedUntil?: Date | null,
  ): Promise<void> {
    await this.audit.record(
      {
        actor:
          outcome === 'SUCCESS' && user
            ? { sub: user.id, kind: 'STAFF', username: user.username, roles: user.roles, towns: user.towns }
            : { anonymous: true },
        action: 'auth.login',
        entityType: 'user',
        entityId: user?.id,
        outcome,
        requestId: meta.requestId,
        details: {
          username: username.slice(0, 64),
          ...(reason ? { reason } : {}),
          ...(sid ? { sid } : {}),
          ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}),
        },
      },
      em,
    );
  }

  /** Issue 12: an app account logs in only while community-correction keeps it open (the case has not ended). */
  private async appAccountOpen(accountId: string): Promise<boolean> {
    try {
      const rows = (await this.dataSource.query(`SELECT active FROM app_access.accounts WHERE account_id = $1`, [accountId])) as Array<{ active: boolean }>;
      return rows[0]?.active === true;
    } catch {
      return false; // no app_access schema (identity without community-correction): no app account is open
    }
  }

  private async auditActivation(
    accountId: string | undefined,
    outcome: 'SUCCESS' | 'FAILURE',
    meta: RequestMeta,
    reason?: ActivationFailure,
    details: Record<string, unknown> = {},
    em?: import('typeorm').EntityManager,
    user?: User,
  ): Promise<void> {
    await this.audit.record(
      {
        actor: outcome === 'SUCCESS' && user ? { sub: user.id, kind: 'STAFF', username: user.username, roles: user.roles, towns: user.towns } : { anonymous: true },
        action: 'auth.activate',
        entityType: 'user',
        entityId: accountId,
        outcome,
        requestId: meta.requestId,
        details: { ...(reason ? { reason } : {}), ...details },
      },
      em,
    );
  }

  private async auditRefresh(
    userId: string | null,
    sid: string | undefined,
    outcome: 'DENIED',
    meta: RequestMeta,
    reason: string,
  ): Promise<void> {
    await this.audit.record({
      actor: { anonymous: true },
      action: 'auth.refresh',
      entityType: 'user',
      entityId: userId ?? undefined,
      outcome,
      requestId: meta.requestId,
      details: { reason, ...(sid ? { sid } : {}) },
    });
  }
}

/** Constant-time comparison of the bound device's hash with the one presented. */
function sameDevice(bound: string | null, deviceId: string | undefined): boolean {
  if (!bound || typeof deviceId !== 'string' || deviceId.length === 0) return false;
  return timingSafeEqual(Buffer.from(bound, 'hex'), Buffer.from(deviceHash(deviceId), 'hex'));
}

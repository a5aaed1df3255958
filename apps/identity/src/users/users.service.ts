import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode, requiresTotp } from '@homeward/domain';
import { AuditWriter, Clock, FieldCipher, TokenRevocations, type AuditEntry } from '@homeward/platform';
import { IdentityConfig } from '../config';
import { LoginThrottle } from '../throttling/login-throttle.service';
import { hashSecret, verifySecret } from '../common/passwords';
import { generateTotpSecret, isBase32Secret, totpUri } from '../common/totp';
import { assertPasswordPolicy, assertUsername, normaliseAccess, normaliseUsername } from './account-rules';
import { User } from './user.entity';

export interface CreateUserCommand {
  username: string;
  password: string;
  roles: readonly string[];
  towns?: readonly string[];
  /** Base32 TOTP secret to enrol; generated when a role needs TOTP and none is given. */
  totpSecret?: string;
}

export interface CreatedUser {
  user: User;
  /** Shown once, only when the account needs TOTP. */
  totpSecret?: string;
  otpauthUri?: string;
}

/** Who performs an administrative change: a signed-in principal, or a system actor such as the CLI. */
export type Actor = AuditEntry['actor'];

/** Staff accounts: creation (policy, separation of duties), activation, password reset, unlock. */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly revocations: TokenRevocations,
    private readonly config: IdentityConfig,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Creates an account with a known password (and returns its TOTP secret once). Only for operators and for
   * the account's own enrolment: the admin CLI (`user:create`), the dev stack, and EnrolmentsService.redeem
   * (the new user sets the password). A security admin asks for accounts with an enrolment instead (issue 6
   * item 6). `em` runs it inside the caller's transaction.
   */
  async create(cmd: CreateUserCommand, actor: Actor, em?: EntityManager): Promise<CreatedUser> {
    const username = normaliseUsername(cmd.username);
    assertUsername(username);
    assertPasswordPolicy(cmd.password);
    const access = normaliseAccess(cmd.roles, cmd.towns ?? []);
    const needsTotp = requiresTotp(access.roles);
    let totpSecret: string | undefined;
    if (cmd.totpSecret !== undefined) {
      const secret = cmd.totpSecret.trim().toUpperCase();
      if (!isBase32Secret(secret)) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'TOTP secret must be base32, at least 16 characters / TOTP 密钥格式不正确', {
          field: 'totpSecret',
        });
      }
      totpSecret = secret;
    } else if (needsTotp) {
      totpSecret = generateTotpSecret();
    }
    const passwordHash = await hashSecret(cmd.password);
    const now = this.clock.now();

    const insert = async (em: EntityManager): Promise<User> => {
      const taken = await em.exists(User, { where: { username } });
      if (taken) throw this.usernameTaken(username);
      const row = em.create(User, {
        username,
        passwordHash,
        roles: access.roles,
        towns: access.towns,
        totpSecretCipher: totpSecret === undefined ? null : this.cipher.encrypt(totpSecret),
        totpLastCounter: null,
        failedAttempts: 0,
        lockedUntil: null,
        active: true,
        passwordChangedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await em.insert(User, row);
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw this.usernameTaken(username);
        throw e;
      }
      await this.audit.record(
        {
          actor,
          action: 'user.create',
          entityType: 'user',
          entityId: row.id,
          towns: access.towns,
          outcome: 'SUCCESS',
          details: { username, roles: access.roles, towns: access.towns, totp: totpSecret !== undefined },
        },
        em,
      );
      return row;
    };
    const user = em ? await insert(em) : await this.dataSource.transaction(insert);
    return totpSecret === undefined
      ? { user }
      : { user, totpSecret, otpauthUri: totpUri(username, totpSecret) };
  }

  findById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { id } });
  }

  findByUsername(username: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { username: normaliseUsername(username) } });
  }

  /**
   * Deactivating also ends the account's open sessions: their tokens are refused at once in every app
   * (revocation list) and cannot be refreshed.
   */
  async setActive(id: string, active: boolean, actor: Actor): Promise<User> {
    return this.change(id, actor, active ? 'user.activate' : 'user.deactivate', async (em, user) => {
      user.active = active;
      if (!active) await this.endSessions(em, id);
      return {};
    });
  }

  async resetPassword(id: string, password: string, actor: Actor): Promise<User> {
    assertPasswordPolicy(password);
    const hash = await hashSecret(password);
    return this.change(id, actor, 'user.reset-password', async (em, user) => {
      // A reset to the password the account already has changes nothing an attacker would notice.
      if (await verifySecret(user.passwordHash, password)) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'the new password is the current one / 新密码不能与当前密码相同', { field: 'password' });
      }
      user.passwordHash = hash;
      user.passwordChangedAt = this.clock.now();
      user.failedAttempts = 0;
      user.lockedUntil = null;
      await this.endSessions(em, id);
      return {};
    });
  }

  /** Lifts the account's lockouts: the legacy account-wide one and every per-IP lock on Redis. */
  async unlock(id: string, actor: Actor): Promise<User> {
    return this.change(id, actor, 'user.unlock', async (_em, user) => {
      const ipLocks = await this.throttle.clear('user', user.username);
      const was = { failedAttempts: user.failedAttempts, lockedUntil: user.lockedUntil?.toISOString() ?? null, ipLocksCleared: ipLocks };
      user.failedAttempts = 0;
      user.lockedUntil = null;
      return was;
    });
  }

  private async change(
    id: string,
    actor: Actor,
    action: string,
    apply: (em: EntityManager, user: User) => Promise<Record<string, unknown>>,
  ): Promise<User> {
    return this.dataSource.transaction(async (em) => {
      const user = await em.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new DomainError(DomainErrorCode.NOT_FOUND, 'user not found / 用户不存在', { field: 'id' });
      const details = await apply(em, user);
      user.updatedAt = this.clock.now();
      await em.save(User, user);
      await this.audit.record(
        { actor, action, entityType: 'user', entityId: id, outcome: 'SUCCESS', details: { username: user.username, ...details } },
        em,
      );
      return user;
    });
  }

  /**
   * Ends every open session of the user and revokes their tokens (issue 6 item 8): each open session id,
   * and every token of the user issued before this second (sessions ended earlier whose tokens have not
   * expired yet). Runs inside the change's transaction: when Redis cannot record the revocation the change
   * does not commit.
   */
  private async endSessions(em: EntityManager, userId: string): Promise<void> {
    const now = this.clock.now();
    const [rows] = (await em.query(`UPDATE identity.sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL RETURNING id`, [
      userId,
      now,
    ])) as [Array<{ id: string }>, number];
    await this.revocations.revokeSessions(
      rows.map((r) => r.id),
      this.config.ACCESS_TOKEN_TTL_SECONDS,
    );
    await this.revocations.revokeSubject(userId, now, this.config.ACCESS_TOKEN_TTL_SECONDS, false);
  }

  private usernameTaken(username: string): DomainError {
    return new DomainError(DomainErrorCode.CONFLICT, `username ${username} is taken / 用户名已存在`, { field: 'username' });
  }
}


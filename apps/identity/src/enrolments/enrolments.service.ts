import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, In, LessThanOrEqual } from 'typeorm';
import { DomainError, DomainErrorCode, Role } from '@homeward/domain';
import { AuditWriter, Clock, ProblemException, type Principal } from '@homeward/platform';
import { IdentityConfig } from '../config';
import { LoginThrottle } from '../throttling/login-throttle.service';
import { assertPasswordPolicy, assertUsername, normaliseAccess, normaliseUsername } from '../users/account-rules';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { Enrolment, EnrolmentStatus } from './enrolment.entity';

/** Roles a security admin may not grant alone: a second, different security admin approves (issue 6 item 6). */
export const ROLES_NEEDING_APPROVAL: readonly Role[] = [Role.CITY_ADMIN, Role.SECURITY_ADMIN];

export interface InviteCommand {
  username: string;
  roles: readonly string[];
  towns?: readonly string[];
}

export interface Invitation {
  enrolment: Enrolment;
  /** The one-time code, shown once to the requester, who hands it to the new user. Only its hash is stored. */
  code: string;
}

export interface RedeemCommand {
  username: string;
  code: string;
  password: string;
}

export interface RedeemedEnrolment {
  user: User;
  /** The new user's own TOTP secret (roles that need TOTP), shown to them once. */
  totpSecret?: string;
  otpauthUri?: string;
}

export const INVALID_ENROLMENT = 'invalid or expired enrolment code / 注册码无效或已过期';

function hashCode(code: string): string {
  return createHash('sha256').update(code.trim()).digest('hex');
}

/**
 * How a security admin creates staff accounts (issue 6 item 6): an invitation with a one-time code
 * (random, ENROLMENT_CODE_TTL_HOURS, single use) that the new user redeems to set the password and to get
 * their TOTP secret — the admin never learns either. CITY_ADMIN and SECURITY_ADMIN invitations are redeemable
 * only after a second, different security admin approves them.
 */
@Injectable()
export class EnrolmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly config: IdentityConfig,
    private readonly throttle: LoginThrottle,
  ) {}

  async invite(cmd: InviteCommand, requester: Principal): Promise<Invitation> {
    const username = normaliseUsername(cmd.username);
    assertUsername(username);
    const access = normaliseAccess(cmd.roles, cmd.towns ?? []);
    const needsApproval = access.roles.some((r) => ROLES_NEEDING_APPROVAL.includes(r));
    const code = randomBytes(18).toString('base64url');
    const now = this.clock.now();
    const enrolment = await this.dataSource.transaction(async (em) => {
      if (await em.exists(User, { where: { username } })) throw this.usernameTaken(username);
      // An expired invitation no longer holds the username.
      await em.update(
        Enrolment,
        { username, status: In([EnrolmentStatus.OPEN, EnrolmentStatus.PENDING_APPROVAL]), expiresAt: LessThanOrEqual(now) },
        { status: EnrolmentStatus.CANCELLED },
      );
      const row = em.create(Enrolment, {
        username,
        roles: access.roles,
        towns: access.towns,
        codeHash: hashCode(code),
        status: needsApproval ? EnrolmentStatus.PENDING_APPROVAL : EnrolmentStatus.OPEN,
        requestedBy: requester.sub,
        requestedByUsername: requester.username ?? null,
        approvedBy: null,
        approvedByUsername: null,
        approvedAt: null,
        expiresAt: this.expiry(now),
        usedAt: null,
        userId: null,
        createdAt: now,
      });
      try {
        await em.insert(Enrolment, row);
      } catch (e) {
        if ((e as { code?: string }).code === '23505') throw this.usernameTaken(username);
        throw e;
      }
      await this.audit.record(
        {
          actor: requester,
          action: 'user.enrolment.invite',
          entityType: 'enrolment',
          entityId: row.id,
          towns: access.towns,
          outcome: 'SUCCESS',
          details: { username, roles: access.roles, towns: access.towns, needsApproval },
        },
        em,
      );
      return row;
    });
    return { enrolment, code };
  }

  /** A second security admin (not the requester) approves a CITY_ADMIN / SECURITY_ADMIN invitation. */
  async approve(id: string, approver: Principal): Promise<Enrolment> {
    return this.dataSource.transaction(async (em) => {
      const e = await em.findOne(Enrolment, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!e) throw new DomainError(DomainErrorCode.NOT_FOUND, 'enrolment not found / 注册申请不存在', { field: 'id' });
      if (e.requestedBy === approver.sub) {
        await this.audit.record(
          { actor: approver, action: 'user.enrolment.approve', entityType: 'enrolment', entityId: id, outcome: 'DENIED', details: { reason: 'SELF_APPROVAL' } },
          em,
        );
        throw new DomainError(DomainErrorCode.FORBIDDEN, 'a second security admin must approve / 须由另一名安全管理员批准', { field: 'id' });
      }
      if (e.status !== EnrolmentStatus.PENDING_APPROVAL || e.expiresAt.getTime() <= this.clock.now().getTime()) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'enrolment is not awaiting approval / 该注册申请无需批准', { field: 'id' });
      }
      const now = this.clock.now();
      e.status = EnrolmentStatus.OPEN;
      e.approvedBy = approver.sub;
      e.approvedByUsername = approver.username ?? null;
      e.approvedAt = now;
      e.expiresAt = this.expiry(now);
      await em.save(Enrolment, e);
      await this.audit.record(
        {
          actor: approver,
          action: 'user.enrolment.approve',
          entityType: 'enrolment',
          entityId: id,
          outcome: 'SUCCESS',
          details: { username: e.username, roles: e.roles, requestedBy: e.requestedBy },
        },
        em,
      );
      return e;
    });
  }

  async cancel(id: string, actor: Principal): Promise<Enrolment> {
    return this.dataSource.transaction(async (em) => {
      const e = await em.findOne(Enrolment, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!e) throw new DomainError(DomainErrorCode.NOT_FOUND, 'enrolment not found / 注册申请不存在', { field: 'id' });
      if (e.status === EnrolmentStatus.USED) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'enrolment already used / 注册码已使用', { field: 'id' });
      }
      e.status = EnrolmentStatus.CANCELLED;
      await em.save(Enrolment, e);
      await this.audit.record(
        { actor, action: 'user.enrolment.cancel', entityType: 'enrolment', entityId: id, outcome: 'SUCCESS', details: { username: e.username } },
        em,
      );
      return e;
    });
  }

  /** Invitations not used, cancelled or expired, newest first. */
  listPending(): Promise<Enrolment[]> {
    return this.dataSource.getRepository(Enrolment).find({
      where: { status: In([EnrolmentStatus.OPEN, EnrolmentStatus.PENDING_APPROVAL]) },
      order: { createdAt: 'DESC' },
      take: 200,
    });
  }

  /**
   * The new user redeems the code (public endpoint, rate-limited like login): sets the password, gets the
   * TOTP secret. Any wrong username / code / expiry answers the same 401; a right code awaiting approval 422.
   */
  async redeem(cmd: RedeemCommand, meta: { ip?: string; requestId?: string } = {}): Promise<RedeemedEnrolment> {
    const username = normaliseUsername(typeof cmd.username === 'string' ? cmd.username : '');
    const code = typeof cmd.code === 'string' ? cmd.code : '';
    await this.throttle.admitIp(meta.ip);
    if (username) await this.throttle.admitAccount('user', username);
    if (!username || !code) throw this.invalid();
    assertPasswordPolicy(typeof cmd.password === 'string' ? cmd.password : '');
    const release = await this.throttle.acquireVerification(meta.ip);
    const redeemed = await this.dataSource.transaction(async (em) => {
      const e = await em.findOne(Enrolment, { where: { codeHash: hashCode(code), username }, lock: { mode: 'pessimistic_write' } });
      const now = this.clock.now();
      if (!e || e.status === EnrolmentStatus.USED || e.status === EnrolmentStatus.CANCELLED || e.expiresAt.getTime() <= now.getTime()) {
        return null;
      }
      if (e.status === EnrolmentStatus.PENDING_APPROVAL) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'awaiting a second security admin’s approval / 等待另一名安全管理员批准');
      }
      const created = await this.users.create(
        { username, password: cmd.password, roles: e.roles, towns: e.towns },
        { system: `enrolment:${e.id}` },
        em,
      );
      e.status = EnrolmentStatus.USED;
      e.usedAt = now;
      e.userId = created.user.id;
      await em.save(Enrolment, e);
      await this.audit.record(
        {
          actor: { system: `enrolment:${e.id}` },
          action: 'user.enrolment.redeem',
          entityType: 'user',
          entityId: created.user.id,
          outcome: 'SUCCESS',
          requestId: meta.requestId,
          details: { username, roles: e.roles, requestedBy: e.requestedBy, approvedBy: e.approvedBy },
        },
        em,
      );
      return created;
    }).finally(release);
    if (!redeemed) {
      await this.throttle.recordFailure('user', username, meta.ip);
      await this.audit.record({
        actor: { anonymous: true },
        action: 'user.enrolment.redeem',
        entityType: 'enrolment',
        outcome: 'FAILURE',
        requestId: meta.requestId,
        details: { username: username.slice(0, 64) },
      });
      throw this.invalid();
    }
    return redeemed;
  }

  private expiry(from: Date): Date {
    return new Date(from.getTime() + this.config.ENROLMENT_CODE_TTL_HOURS * 3600_000);
  }

  private invalid(): ProblemException {
    return new ProblemException(401, 'Unauthorized / 未认证', INVALID_ENROLMENT);
  }

  private usernameTaken(username: string): DomainError {
    return new DomainError(DomainErrorCode.CONFLICT, `username ${username} is taken or has an open enrolment / 用户名已存在或已有注册申请`, {
      field: 'username',
    });
  }
}

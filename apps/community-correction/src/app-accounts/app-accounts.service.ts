import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode, Role } from '@homeward/domain';
import { AuditWriter, Clock, Principal, activationCodeHash, newActivationCode } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { TeamMember } from '../plans/team-member.entity';
import { SubjectAccess, actorName } from '../subjects/subject-access';
import { CorrectionSubject } from '../subjects/subject.entity';
import { AppAccount, AppActivation } from './app-account.entity';

/** What the officer is shown once: the code is never stored, only its hash. */
export interface IssuedActivation {
  accountId: string;
  code: string | null;
  expiresAt: Date | null;
}

const OPEN_STATUSES: readonly CorrectionStatus[] = [CorrectionStatus.PENDING_REPORT, CorrectionStatus.ACTIVE];

/**
 * Issue 12 item 1: an officer of the subject's town opens the subject's app (在矫通) or a team
 * member's (协矫通) by issuing a one-time activation code; the person sets a password and binds a
 * device with it at identity (`POST /api/v1/auth/activate`). A new code supersedes the older
 * unused ones of the account (a lost paper, a new phone); every issue is audited, never the code.
 */
@Injectable()
export class AppAccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly access: SubjectAccess,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly config: CorrectionConfig,
  ) {}

  /** CC-21: the subject's app. One account per subject, kept across re-issues. */
  async issueSubjectActivation(caller: Principal, subjectId: string): Promise<IssuedActivation> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.access.forTownChange(manager, caller, subjectId, 'correction.app-account.issue');
      assertOpen(subject);
      const existing = await manager.getRepository(AppAccount).findOne({ where: { subjectId: subject.id, role: Role.SUBJECT } });
      const accountId = existing?.accountId ?? randomUUID();
      await this.saveAccount(manager, accountId, Role.SUBJECT, subject.id, existing);
      const issued = await this.newCode(manager, caller, accountId);
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.app-account.issue',
          entityType: 'AppAccount',
          entityId: accountId,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { subjectId: subject.id, role: Role.SUBJECT, expiresAt: issued.expiresAt, reissue: !!existing },
        },
        manager,
      );
      return issued;
    });
  }

  /**
   * CC-21: a team member's app. `sameAccountAs`: another membership (of a subject the caller also
   * reaches) whose account this one joins — a grid worker on several teams has one login; then no
   * code is issued. Otherwise the member's account (new, or kept) gets a fresh code.
   */
  async inviteTeamMember(caller: Principal, teamMemberId: string, sameAccountAs?: string | null): Promise<IssuedActivation> {
    return this.dataSource.transaction(async (manager) => {
      const { member, subject } = await this.openMembership(manager, caller, teamMemberId, 'correction.app-account.invite');
      if (sameAccountAs) {
        const { member: other } = await this.openMembership(manager, caller, sameAccountAs, 'correction.app-account.invite');
        if (!other.accountId) {
          throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'that team member has no app account yet / 该小组成员尚未开通协矫通', { field: 'sameAccountAs' });
        }
        member.accountId = other.accountId;
        await manager.save(member);
        await this.recordInvite(manager, caller, subject, member, { joined: sameAccountAs });
        return { accountId: other.accountId, code: null, expiresAt: null };
      }
      const existing = member.accountId ? await manager.getRepository(AppAccount).findOne({ where: { accountId: member.accountId } }) : null;
      const accountId = existing?.accountId ?? randomUUID();
      await this.saveAccount(manager, accountId, Role.TEAM_MEMBER, null, existing);
      member.accountId = accountId;
      await manager.save(member);
      const issued = await this.newCode(manager, caller, accountId);
      await this.recordInvite(manager, caller, subject, member, { expiresAt: issued.expiresAt, reissue: !!existing });
      return issued;
    });
  }

  private async openMembership(manager: EntityManager, caller: Principal, teamMemberId: string, action: string): Promise<{ member: TeamMember; subject: CorrectionSubject }> {
    const repo = manager.getRepository(TeamMember);
    const found = await repo.findOne({ where: { id: teamMemberId } });
    const notFound = new DomainError(DomainErrorCode.NOT_FOUND, `team member ${teamMemberId} not found / 未找到该矫正小组成员`, { field: 'teamMemberId' });
    if (!found) throw notFound;
    // the subject first, then the membership: a residence transfer locks the subject, then ends its memberships
    // (the membership first deadlocked with it; see SubjectAccess.recordForChange)
    const subject = await this.access.forTownChange(manager, caller, found.subjectId, action).catch((err: unknown) => {
      // the subject out of reach reads as the membership out of reach; any other failure (a deadlock: TRY_AGAIN) stays itself
      throw err instanceof DomainError && err.code === DomainErrorCode.NOT_FOUND ? notFound : err;
    });
    const member = await repo.findOne({ where: { id: teamMemberId }, lock: { mode: 'pessimistic_write' } });
    if (!member) throw notFound;
    assertOpen(subject);
    if (member.endedOn) throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the membership has ended / 该成员已退出矫正小组', { field: 'teamMemberId' });
    return { member, subject };
  }

  private async saveAccount(manager: EntityManager, accountId: string, role: Role.SUBJECT | Role.TEAM_MEMBER, subjectId: string | null, existing: AppAccount | null): Promise<void> {
    const now = this.clock.now();
    if (existing) {
      await manager.update(AppAccount, { accountId }, { active: true, updatedAt: now });
      return;
    }
    await manager.insert(AppAccount, { accountId, role, subjectId, active: true, createdAt: now, updatedAt: now });
  }

  private async newCode(manager: EntityManager, caller: Principal, accountId: string): Promise<IssuedActivation> {
    const now = this.clock.now();
    await manager.query(`UPDATE app_access.activations SET superseded_at = $2 WHERE account_id = $1 AND superseded_at IS NULL`, [accountId, now]);
    const code = newActivationCode();
    const expiresAt = new Date(now.getTime() + this.config.APP_ACTIVATION_HOURS * 3_600_000);
    await manager.insert(AppActivation, { id: randomUUID(), accountId, codeHash: activationCodeHash(code), issuedAt: now, expiresAt, issuedBy: actorName(caller), supersededAt: null });
    return { accountId, code, expiresAt };
  }

  private recordInvite(manager: EntityManager, caller: Principal, subject: CorrectionSubject, member: TeamMember, details: Record<string, unknown>): Promise<void> {
    return this.audit.record(
      {
        actor: caller,
        action: 'correction.app-account.invite',
        entityType: 'TeamMember',
        entityId: member.id,
        personKey: subject.personKey,
        towns: [subject.town],
        details: { subjectId: subject.id, accountId: member.accountId, role: Role.TEAM_MEMBER, ...details },
      },
      manager,
    );
  }
}

function assertOpen(subject: CorrectionSubject): void {
  if (!OPEN_STATUSES.includes(subject.status)) {
    throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `the case is ${subject.status}: no app account / 矫正已结束，不能开通账号`, {
      field: 'subjectId',
      details: { status: subject.status },
    });
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode, Role } from '@homeward/domain';
import { AuditWriter, Principal } from '@homeward/platform';
import { TeamMember } from '../plans/team-member.entity';
import { CorrectionSubject } from '../subjects/subject.entity';

/** Statuses in which the subject's and the team's apps reach the case (after it ends: nothing). */
const OPEN_STATUSES: readonly CorrectionStatus[] = [CorrectionStatus.PENDING_REPORT, CorrectionStatus.ACTIVE];

const NO_RECORD = () => new DomainError(DomainErrorCode.NOT_FOUND, 'no correction record for this account / 未找到本账号对应的矫正记录');
const NOT_ASSIGNED = () =>
  new DomainError(DomainErrorCode.NOT_FOUND, 'correction subject not found among your assigned subjects / 在您负责的矫正对象中未找到该对象', { field: 'subjectId' });

/**
 * CC-21: who a SUBJECT or TEAM_MEMBER token is, in this service's terms. A SUBJECT account reaches
 * one record, its own (`app_access.accounts.subject_id`); a TEAM_MEMBER account the subjects whose
 * teams it is an open member of (`team_members.account_id`, ended memberships kept as history).
 * Nothing else: no town, no search, no other person. Refusals are NOT_FOUND and audited as DENIED.
 */
@Injectable()
export class AppCallers {
  constructor(private readonly audit: AuditWriter) {}

  /** The caller's own subject; `lock` takes it FOR UPDATE (a change); `requireActive`: ILLEGAL_TRANSITION unless ACTIVE. */
  async subjectOf(manager: EntityManager, caller: Principal, action: string, opts: { lock?: boolean; requireActive?: boolean } = {}): Promise<CorrectionSubject> {
    const subject = caller.roles.includes(Role.SUBJECT) ? await this.ownSubject(manager, caller, opts.lock ?? false) : null;
    if (!subject || !OPEN_STATUSES.includes(subject.status)) {
      await this.denied(manager, caller, action, 'CorrectionSubject', subject?.id);
      throw NO_RECORD();
    }
    if (opts.requireActive && subject.status !== CorrectionStatus.ACTIVE) {
      throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'supervision has not started yet / 尚未入矫，暂不能办理', { details: { status: subject.status } });
    }
    return subject;
  }

  /** The caller's open team memberships whose subject's case is open, with the subjects. */
  async membershipsOf(manager: EntityManager, caller: Principal): Promise<Array<{ membership: TeamMember; subject: CorrectionSubject }>> {
    if (!caller.roles.includes(Role.TEAM_MEMBER)) return [];
    const memberships = await manager
      .getRepository(TeamMember)
      .createQueryBuilder('m')
      .where('m.accountId = :account AND m.endedOn IS NULL', { account: caller.sub })
      .orderBy('m.createdAt', 'ASC')
      .getMany();
    if (memberships.length === 0) return [];
    const subjects = await manager.getRepository(CorrectionSubject).findBy({ id: In(memberships.map((m) => m.subjectId)) });
    const byId = new Map(subjects.map((s) => [s.id, s]));
    return memberships
      .map((membership) => ({ membership, subject: byId.get(membership.subjectId)! }))
      .filter(({ subject }) => subject && OPEN_STATUSES.includes(subject.status));
  }

  /** The caller's open membership of `subjectId`'s team; NOT_FOUND (audited) when it is not one of its subjects. */
  async membershipFor(manager: EntityManager, caller: Principal, subjectId: string, action: string): Promise<{ membership: TeamMember; subject: CorrectionSubject }> {
    const found = (await this.membershipsOf(manager, caller)).find((m) => m.subject.id === subjectId);
    if (!found) {
      await this.denied(manager, caller, action, 'CorrectionSubject', subjectId);
      throw NOT_ASSIGNED();
    }
    return found;
  }

  private async ownSubject(manager: EntityManager, caller: Principal, lock: boolean): Promise<CorrectionSubject | null> {
    const [row] = (await manager.query(`SELECT subject_id FROM app_access.accounts WHERE account_id = $1 AND role = 'SUBJECT' AND active`, [caller.sub])) as Array<{
      subject_id: string;
    }>;
    if (!row) return null;
    return manager.getRepository(CorrectionSubject).findOne({ where: { id: row.subject_id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  private async denied(manager: EntityManager, caller: Principal, action: string, entityType: string, entityId: string | undefined): Promise<void> {
    // Outside the caller's transaction, so the denial is kept when the refusal rolls it back.
    await this.audit.recordOutsideTransaction({ actor: caller, action, entityType, entityId, outcome: 'DENIED', details: { reason: 'NOT_OWN_RECORD' } }, manager);
  }
}

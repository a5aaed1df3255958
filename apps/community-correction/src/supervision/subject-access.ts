import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode } from '@homeward/domain';
import { AuditWriter, Principal, canSeePerson, isUuid, personScope, whereInScope } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';

/**
 * How the supervision features reach a subject: locked for a change, or read, always inside the
 * caller's towns. Another town's subject (or an unknown id) is NOT_FOUND, never the record.
 */
@Injectable()
export class SubjectAccess {
  constructor(private readonly audit: AuditWriter) {}

  async forChange(manager: EntityManager, caller: Principal, id: string, action: string): Promise<CorrectionSubject> {
    const subject = isUuid(id)
      ? await manager.getRepository(CorrectionSubject).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!subject || !canSeePerson(caller, subject.town, subject.personKey)) {
      await this.audit.record({ actor: caller, action, entityType: 'CorrectionSubject', entityId: id, outcome: 'DENIED' });
      throw notFound(id);
    }
    return subject;
  }

  /** A change that needs supervision running: the subject must be ACTIVE (CC-2). */
  async activeForChange(manager: EntityManager, caller: Principal, id: string, action: string): Promise<CorrectionSubject> {
    const subject = await this.forChange(manager, caller, id, action);
    if (subject.status !== CorrectionStatus.ACTIVE) {
      throw new DomainError(
        DomainErrorCode.ILLEGAL_TRANSITION,
        `subject is ${subject.status}, supervision needs ACTIVE / 对象不在矫正期内（非在矫状态）`,
        { field: 'subjectId', details: { status: subject.status } },
      );
    }
    return subject;
  }

  /** Read access: null (audited as denied) outside the caller's towns. */
  async forRead(manager: EntityManager, caller: Principal, id: string, action: string): Promise<CorrectionSubject | null> {
    const subject = isUuid(id) ? await manager.getRepository(CorrectionSubject).findOneBy({ id }) : null;
    if (!subject || !canSeePerson(caller, subject.town, subject.personKey)) {
      await this.audit.record({ actor: caller, action, entityType: 'CorrectionSubject', entityId: id, outcome: 'DENIED' });
      return null;
    }
    return subject;
  }

  /** Many subjects at once, restricted to what the caller may see (towns; a social worker's assignments), for DataLoaders. */
  async visible(manager: EntityManager, caller: Principal, ids: readonly string[]): Promise<Map<string, CorrectionSubject>> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return new Map();
    const qb = manager.getRepository(CorrectionSubject).createQueryBuilder('s').where('s.id IN (:...ids)', { ids: valid });
    if (!whereInScope(qb, 's', personScope(caller))) return new Map();
    const rows = await qb.getMany();
    return new Map(rows.map((s) => [s.id, s]));
  }
}

export function notFound(id: string): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, `correction subject ${id} not found / 未找到该社区矫正对象`, { field: 'subjectId' });
}

export function actorName(caller: Principal): string {
  return caller.username ?? caller.sub;
}

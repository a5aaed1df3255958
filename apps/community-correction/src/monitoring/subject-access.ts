import { EntityManager } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode } from '@homeward/domain';
import { AuditWriter, Principal, canSeePerson, isUuid } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';

/**
 * The subject of a monitoring / leave / notice change, locked, inside the caller's towns; another
 * town's subject (or an unknown id) is NOT_FOUND (audited as denied), never the record.
 */
export async function subjectForChange(
  manager: EntityManager,
  audit: AuditWriter,
  caller: Principal,
  id: string,
  action: string,
  opts: { requireActive?: boolean } = {},
): Promise<CorrectionSubject> {
  const subject = isUuid(id) ? await manager.getRepository(CorrectionSubject).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
  if (!subject || !canSeePerson(caller, subject.town, subject.personKey)) {
    await audit.record({ actor: caller, action, entityType: 'CorrectionSubject', entityId: id, outcome: 'DENIED' });
    throw new DomainError(DomainErrorCode.NOT_FOUND, `subject ${id} not found / 未找到该社区矫正对象`, { field: 'subjectId' });
  }
  if (opts.requireActive && subject.status !== CorrectionStatus.ACTIVE) {
    throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `subject is ${subject.status}, this needs ACTIVE / 对象不在矫正期内（非在矫状态）`, {
      field: 'subjectId',
      details: { status: subject.status },
    });
  }
  return subject;
}

/** The record's name for the caller, or NOT_FOUND when outside the caller's towns. */
export function visibleOrNotFound<T extends { town: string; personKey?: string | null }>(caller: Principal, row: T | null, what: string, id: string): T {
  if (!row || !canSeePerson(caller, row.town, row.personKey)) {
    throw new DomainError(DomainErrorCode.NOT_FOUND, `${what} ${id} not found / 未找到该记录`);
  }
  return row;
}

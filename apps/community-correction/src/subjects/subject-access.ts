import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CorrectionStatus, DomainError, DomainErrorCode } from '@homeward/domain';
import { AuditWriter, isUuid, Principal, RecordAccess } from '@homeward/platform';
import { CorrectionSubject } from './subject.entity';

/** NOT_FOUND of a correction subject (the field is subjectId). */
export function notFound(id: string): DomainError {
  return new DomainError(DomainErrorCode.NOT_FOUND, `correction subject ${id} not found / 未找到该社区矫正对象`, { field: 'subjectId' });
}

/**
 * Issue 8 item 1: the one way every feature of the app reaches a subject — locked for a change, or
 * read — always inside the caller's towns (and, for a social worker, its assignments). Another
 * town's subject (or an unknown id) is NOT_FOUND, never the record; the denial is audited. Built on
 * libs/platform's RecordAccess; exported by SubjectsModule.
 */
@Injectable()
export class SubjectAccess {
  /** Person scope: the caller's towns and, for a social worker, its assigned subjects. */
  private readonly persons: RecordAccess<CorrectionSubject>;
  /** Town scope: whole-town staff only (a social worker changes no subject's file). */
  private readonly towns: RecordAccess<CorrectionSubject>;

  constructor(audit: AuditWriter) {
    this.persons = new RecordAccess(audit, { entity: CorrectionSubject, notFound });
    this.towns = new RecordAccess(audit, { entity: CorrectionSubject, notFound, scope: 'town' });
  }

  /** The subject locked FOR UPDATE in `manager`'s transaction; `requireActive`: ILLEGAL_TRANSITION unless ACTIVE (CC-2). */
  async forChange(manager: EntityManager, caller: Principal, id: string, action: string, opts: { requireActive?: boolean } = {}): Promise<CorrectionSubject> {
    const subject = await this.persons.forChange(manager, caller, id, action);
    if (opts.requireActive) assertActive(subject);
    return subject;
  }

  /**
   * One of a subject's records (a row with `subjectId`), locked FOR UPDATE AFTER its subject (person scope):
   * the order every change of a subject's records takes — a residence transfer locks the subject, then
   * updates its records — so the two never wait for each other in a circle (a lock-order review, session 14:
   * the record first, then the subject, deadlocked with a transfer). The record is read without a lock to
   * learn its subject, then read again locked (its state as it is now). `row` is null when there is no such
   * record; an unknown or foreign record is NOT_FOUND of the subject, audited, as before.
   */
  async recordForChange<T extends { subjectId: string }>(
    manager: EntityManager,
    caller: Principal,
    entity: new () => T,
    id: string,
    action: string,
  ): Promise<{ row: T | null; subject: CorrectionSubject }> {
    const repo = manager.getRepository(entity);
    const found = isUuid(id) ? await repo.findOne({ where: { id } as never }) : null;
    const subject = await this.forChange(manager, caller, found?.subjectId ?? id, action);
    const row = found ? await repo.findOne({ where: { id } as never, lock: { mode: 'pessimistic_write' } }) : null;
    return { row, subject };
  }

  /** A change that needs supervision running: the subject must be ACTIVE (CC-2). */
  activeForChange(manager: EntityManager, caller: Principal, id: string, action: string): Promise<CorrectionSubject> {
    return this.forChange(manager, caller, id, action, { requireActive: true });
  }

  /** A change of the subject's own file by whole-town staff (town scope), locked FOR UPDATE. */
  forTownChange(manager: EntityManager, caller: Principal, id: string, action: string): Promise<CorrectionSubject> {
    return this.towns.forChange(manager, caller, id, action);
  }

  /** A read that must find the subject: NOT_FOUND (audited) outside the caller's scope. */
  forRead(manager: EntityManager, caller: Principal, id: string, action: string): Promise<CorrectionSubject> {
    return this.persons.forRead(manager, caller, id, action);
  }

  /** A read that answers null: null (audited as denied) outside the caller's scope. */
  findForRead(manager: EntityManager, caller: Principal, id: string, action: string): Promise<CorrectionSubject | null> {
    return this.persons.findForRead(manager, caller, id, action);
  }

  /** True when the caller may see this subject (person scope). */
  canSee(caller: Principal, subject: CorrectionSubject | null | undefined): subject is CorrectionSubject {
    return this.persons.canSee(caller, subject);
  }
}

function assertActive(subject: CorrectionSubject): void {
  if (subject.status !== CorrectionStatus.ACTIVE) {
    throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `subject is ${subject.status}, this needs ACTIVE / 对象不在矫正期内（非在矫状态）`, {
      field: 'subjectId',
      details: { status: subject.status },
    });
  }
}

/** The name a change is recorded under (decidedBy, recordedBy): the username, else the subject id of the token. */
export function actorName(caller: Principal): string {
  return caller.username ?? caller.sub;
}

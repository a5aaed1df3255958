import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventPublisher } from '@homeward/bus';
import { DomainError, DomainErrorCode } from '@homeward/domain';
import { AuditWriter, CASELOAD_SOURCE, CaseAssignment, CaseAssignmentStore, Clock, assignmentChangedPayload, Principal, canSeeTown, isUuid } from '@homeward/platform';
import { SubjectsService } from '../subjects/subjects.service';

/**
 * Issue 6 item 7: an officer of the subject's town assigns a social worker to a subject and ends
 * the assignment; every change is audited in its transaction, nothing is deleted. The worker id is
 * identity's user id as the officer gives it (correction does not read identity's users).
 */
@Injectable()
export class AssignmentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CASELOAD_SOURCE) private readonly store: CaseAssignmentStore,
    private readonly subjects: SubjectsService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly events: EventPublisher,
  ) {}

  async assign(caller: Principal, subjectId: string, workerId: string): Promise<CaseAssignment> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.subjects.lockForChange(manager, caller, subjectId);
      if (await this.store.activeFor(manager, workerId, subject.id)) {
        throw new DomainError(DomainErrorCode.CONFLICT, 'this social worker is already assigned to this subject / 该社工已分配给该对象', {
          field: 'workerId',
        });
      }
      const a = await this.store.start(manager, {
        workerId,
        subjectId: subject.id,
        personKey: subject.personKey,
        town: subject.town,
        at: this.clock.now(),
        by: caller.sub,
      });
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.assignment.start',
          entityType: 'CaseAssignment',
          entityId: a.id,
          personKey: a.personKey,
          towns: [a.town],
          details: { subjectId: a.subjectId, workerId },
        },
        manager,
      );
      await this.publish(manager, a);
      return a;
    });
  }

  async end(caller: Principal, assignmentId: string): Promise<CaseAssignment> {
    return this.dataSource.transaction(async (manager) => {
      const a = isUuid(assignmentId) ? await this.store.lock(manager, assignmentId) : null;
      if (!a || !canSeeTown(caller, a.town)) {
        await this.audit.recordOutsideTransaction({ actor: caller, action: 'correction.assignment.end', entityType: 'CaseAssignment', entityId: assignmentId, outcome: 'DENIED' }, manager);
        throw new DomainError(DomainErrorCode.NOT_FOUND, `assignment ${assignmentId} not found / 未找到该分配记录`, { field: 'assignmentId' });
      }
      if (a.endedAt) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'the assignment has already ended / 该分配已结束', { field: 'assignmentId' });
      }
      const ended = await this.store.end(manager, a.id, this.clock.now(), caller.sub);
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.assignment.end',
          entityType: 'CaseAssignment',
          entityId: a.id,
          personKey: a.personKey,
          towns: [a.town],
          details: { subjectId: a.subjectId, workerId: a.workerId },
        },
        manager,
      );
      await this.publish(manager, ended);
      return ended;
    });
  }

  /**
   * CC-13: a change of residence took effect: every assignment of the subject still running ends at
   * `at` (the old town's social workers lose the subject), each published like an officer's end.
   * Runs in the transfer's transaction; answers how many ended.
   */
  async endAllForSubject(manager: EntityManager, subjectId: string, at: Date, by: string): Promise<number> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM correction.case_assignments WHERE subject_id = $1 AND ended_at IS NULL ORDER BY assigned_at FOR UPDATE`,
      [subjectId],
    );
    for (const { id } of rows) await this.publish(manager, await this.store.end(manager, id, at, by));
    return rows.length;
  }

  /** Other services (alerts) keep a copy to filter a social worker's reads (outbox, same transaction). */
  private publish(manager: EntityManager, a: CaseAssignment): Promise<unknown> {
    return this.events.publish(manager, 'correction.assignment.changed', assignmentChangedPayload(a));
  }

  /** Assignments (active and ended) of subjects the caller sees, for a DataLoader batch. */
  async history(subjectIds: readonly string[]): Promise<Map<string, CaseAssignment[]>> {
    const out = new Map<string, CaseAssignment[]>(subjectIds.map((id) => [id, []]));
    for (const a of await this.store.history(subjectIds.filter(isUuid))) out.get(a.subjectId)?.push(a);
    return out;
  }
}

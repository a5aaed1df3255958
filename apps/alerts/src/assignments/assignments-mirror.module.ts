import { Global, Injectable, Inject, Module } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { CASELOAD_SOURCE, CaseAssignmentStore } from '@homeward/platform';
import { SCHEMA } from '../migrations';

/** Keeps alerts' copy of correction's assignments, so a social worker sees the alerts of its assigned persons only. */
@Injectable()
export class AssignmentsMirrorHandler {
  constructor(@Inject(CASELOAD_SOURCE) private readonly store: CaseAssignmentStore) {}

  @OnEvent('correction.assignment.changed')
  async onChanged(event: EventEnvelope<'correction.assignment.changed'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.store.mirror(manager, {
      id: p.assignmentId,
      workerId: p.workerId,
      subjectId: p.subjectId,
      personKey: p.personKey,
      town: p.town,
      assignedAt: new Date(p.assignedAt),
      assignedBy: p.assignedBy,
      endedAt: p.endedAt ? new Date(p.endedAt) : null,
      endedBy: p.endedBy,
    });
  }
}

/** Issue 6 item 7 in alerts: global because the platform's AuthGuard reads CASELOAD_SOURCE. */
@Global()
@Module({
  providers: [
    { provide: CASELOAD_SOURCE, inject: [DataSource], useFactory: (ds: DataSource) => new CaseAssignmentStore(ds, SCHEMA) },
    AssignmentsMirrorHandler,
  ],
  exports: [CASELOAD_SOURCE],
})
export class AssignmentsMirrorModule {}

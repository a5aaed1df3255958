import { Global, Injectable, Inject, Module } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AssignmentChangedPayload, EventEnvelope } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { CASELOAD_SOURCE, CaseAssignmentStore } from '@homeward/platform';
import { SCHEMA } from '../migrations';

/** Keeps alerts' copy of the social workers' assignments (correction's and resettlement's teams), so a social worker sees the alerts of its assigned persons only. */
@Injectable()
export class AssignmentsMirrorHandler {
  constructor(@Inject(CASELOAD_SOURCE) private readonly store: CaseAssignmentStore) {}

  @OnEvent('correction.assignment.changed')
  async onChanged(event: EventEnvelope<'correction.assignment.changed'>, manager: EntityManager): Promise<void> {
    await this.mirror(manager, event.payload);
  }

  /** RS-6: a resettlement social worker's caseload (the assistance team) counts in alerts as correction's does. */
  @OnEvent('resettlement.assignment.changed')
  async onResettlementChanged(event: EventEnvelope<'resettlement.assignment.changed'>, manager: EntityManager): Promise<void> {
    await this.mirror(manager, event.payload);
  }

  private async mirror(manager: EntityManager, p: AssignmentChangedPayload): Promise<void> {
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

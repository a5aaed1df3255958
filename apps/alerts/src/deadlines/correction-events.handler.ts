import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, addDays, startOfLocalDateInShanghai } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { DeadlinesService } from './deadlines.service';
import { DeadlineScheduler } from './deadline-scheduler';

const SUBJECT = 'correction.subject';

/** Community-correction events that start or stop the clocks of AL-3's correction rules. */
@Injectable()
export class CorrectionEventsHandler {
  constructor(
    private readonly deadlines: DeadlinesService,
    private readonly scheduler: DeadlineScheduler,
  ) {}

  /** CC-4: not reported on day 11 (the day after the report deadline) → ORANGE "not reported". */
  @OnEvent('correction.subject.enrolled')
  async onEnrolled(event: EventEnvelope<'correction.subject.enrolled'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const watch = await this.deadlines.watch(manager, {
      rule: 'CC-4.NOT_REPORTED',
      recordType: SUBJECT,
      recordId: p.subjectId,
      personKey: p.personKey,
      town: p.town,
      dueAt: startOfLocalDateInShanghai(addDays(p.reportDeadline, 1)),
      details: { reportDeadline: p.reportDeadline },
    });
    await this.scheduler.schedule(watch.id, watch.dueAt);
  }

  @OnEvent('correction.subject.reported')
  async onReported(event: EventEnvelope<'correction.subject.reported'>, manager: EntityManager): Promise<void> {
    await this.deadlines.satisfy(manager, SUBJECT, event.payload.subjectId, ['CC-4.NOT_REPORTED']);
  }

  @OnEvent('correction.subject.activated')
  async onActivated(event: EventEnvelope<'correction.subject.activated'>, manager: EntityManager): Promise<void> {
    await this.deadlines.satisfy(manager, SUBJECT, event.payload.subjectId, ['CC-4.NOT_REPORTED']);
  }

  /** A case that ended has no more deadlines. */
  @OnEvent('correction.subject.discharged')
  async onDischarged(event: EventEnvelope<'correction.subject.discharged'>, manager: EntityManager): Promise<void> {
    await this.deadlines.satisfy(manager, SUBJECT, event.payload.subjectId);
  }

  @OnEvent('correction.subject.terminated')
  async onTerminated(event: EventEnvelope<'correction.subject.terminated'>, manager: EntityManager): Promise<void> {
    await this.deadlines.satisfy(manager, SUBJECT, event.payload.subjectId);
  }
}

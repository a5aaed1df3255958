import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { investigationDueDate } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { CorrectionConfig } from '../config';
import type { CalendarChange, DeadlineRecomputer } from '../reference/deadline-recomputer';
import { Investigation, InvestigationStatus } from './investigation.entity';

/**
 * CC-14: the due date of a pending investigation assessment (N working days) follows a changed
 * holiday table; a due date extended by agreement stays as agreed (only the original moves).
 */
@Injectable()
export class InvestigationDeadlinesRecomputer implements DeadlineRecomputer {
  readonly label = 'CC-14 investigation assessment';

  constructor(
    private readonly events: EventPublisher,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
  ) {}

  async recompute(manager: EntityManager, change: CalendarChange): Promise<number> {
    const repo = manager.getRepository(Investigation);
    const pending = await repo.find({ where: { status: InvestigationStatus.PENDING }, lock: { mode: 'pessimistic_write' }, order: { id: 'ASC' } });
    const days = { normal: this.config.INVESTIGATION_WORKING_DAYS, expedited: this.config.INVESTIGATION_EXPEDITED_WORKING_DAYS };
    let moved = 0;
    for (const row of pending) {
      const originalDueDate = investigationDueDate(row.receivedDate, row.expedited, change.calendar, days);
      const extended = row.dueDate !== row.originalDueDate;
      const dueDate = extended ? row.dueDate : originalDueDate;
      if (originalDueDate === row.originalDueDate && dueDate === row.dueDate) continue;
      await repo.update({ id: row.id }, { originalDueDate, dueDate });
      if (dueDate !== row.dueDate) {
        await this.events.publish(manager, 'correction.deadlines.recomputed', {
          revision: change.revision,
          year: change.year,
          recordType: 'INVESTIGATION',
          recordId: row.id,
          personKey: row.personKey,
          town: row.town,
          dueDate,
          remindOn: change.calendar.addWorkingDays(dueDate, -this.config.INVESTIGATION_REMINDER_WORKING_DAYS),
        });
        moved++;
      }
    }
    return moved;
  }
}

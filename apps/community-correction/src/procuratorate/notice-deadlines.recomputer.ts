import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { addDays, procuratorateReplyDeadline } from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { CorrectionConfig } from '../config';
import type { CalendarChange, DeadlineRecomputer } from '../reference/deadline-recomputer';
import { ProcuratorateNotice, ProcuratorateNoticeStatus } from './procuratorate-notice.entity';

/** CC-16 (CC-23): the reply deadline of a notice not yet replied to follows a changed holiday table. */
@Injectable()
export class NoticeDeadlinesRecomputer implements DeadlineRecomputer {
  readonly label = 'CC-16 procuratorate reply';

  constructor(
    private readonly events: EventPublisher,
    @Inject(CorrectionConfig) private readonly config: CorrectionConfig,
  ) {}

  async recompute(manager: EntityManager, change: CalendarChange): Promise<number> {
    const repo = manager.getRepository(ProcuratorateNotice);
    const open = await repo.find({ where: { status: ProcuratorateNoticeStatus.RECEIVED }, lock: { mode: 'pessimistic_write' }, order: { id: 'ASC' } });
    let moved = 0;
    for (const n of open) {
      const replyDue = procuratorateReplyDeadline(n.issuedDate, this.config.PROCURATORATE_REPLY_DAYS, change.calendar);
      if (replyDue === n.replyDue) continue;
      await repo.update({ id: n.id }, { replyDue });
      await this.events.publish(manager, 'correction.deadlines.recomputed', {
        revision: change.revision,
        year: change.year,
        recordType: 'PROCURATORATE_NOTICE',
        recordId: n.id,
        personKey: n.personKey,
        town: n.town,
        replyDue,
        remindOn: addDays(replyDue, -this.config.PROCURATORATE_REPLY_REMINDER_DAYS),
      });
      moved++;
    }
    return moved;
  }
}

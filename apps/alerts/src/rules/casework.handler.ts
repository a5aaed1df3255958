import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, addDays, startOfLocalDateInShanghai } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { WatchesService } from '../deadlines/watches.service';

const LEAVE = 'correction.leave';
const INVESTIGATION = 'correction.investigation';
const NOTICE = 'correction.procuratorate-notice';
const ASSESSMENT_RULES = ['CC-14.ASSESSMENT_DUE_SOON', 'CC-14.ASSESSMENT_OVERDUE'];
const REPLY_RULES = ['CC-16.REPLY_DUE', 'CC-16.REPLY_OVERDUE'];

/** The day after `date` at 00:00 Asia/Shanghai: when "not done by `date`" becomes true. */
const dayAfter = (date: string): Date => startOfLocalDateInShanghai(addDays(date, 1));

/**
 * AL-3 due-date rules of the correction casework: leave overstayed (CC-13, ORANGE), investigation
 * assessment due in 2 working days (YELLOW) or overdue (ORANGE) (CC-14), procuratorate reply due
 * (YELLOW) or overdue (ORANGE) (CC-16). Reminder days come computed in the events (correction owns
 * the configured offsets and the working-day calendar).
 */
@Injectable()
export class CaseworkAlertsHandler {
  constructor(private readonly watches: WatchesService) {}

  /** CC-13: a leave not returned from by its end date → ORANGE "leave overstayed" the next day. */
  @OnEvent('correction.leave.approved')
  async onLeaveApproved(event: EventEnvelope<'correction.leave.approved'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    if (p.kind !== 'LEAVE') return;
    await this.watches.arm(manager, {
      asOf: event.occurredAt,
      rule: 'CC-13.LEAVE_OVERSTAYED',
      recordType: LEAVE,
      recordId: p.leaveId,
      personKey: p.personKey,
      town: p.town,
      dueAt: dayAfter(p.endDate),
      details: { subjectId: p.subjectId, startDate: p.startDate, endDate: p.endDate },
    });
  }

  @OnEvent('correction.leave.returned')
  async onLeaveReturned(event: EventEnvelope<'correction.leave.returned'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: LEAVE, recordId: p.leaveId, personKey: p.personKey, town: p.town }, ['CC-13.LEAVE_OVERSTAYED']);
  }

  @OnEvent('correction.investigation.received')
  async onInvestigationReceived(event: EventEnvelope<'correction.investigation.received'>, manager: EntityManager): Promise<void> {
    await this.armAssessment(manager, event.occurredAt, event.payload);
  }

  /** An extension by agreement or a reassignment to another town: the watches follow. */
  @OnEvent('correction.investigation.rescheduled')
  async onInvestigationRescheduled(event: EventEnvelope<'correction.investigation.rescheduled'>, manager: EntityManager): Promise<void> {
    await this.armAssessment(manager, event.occurredAt, event.payload);
  }

  @OnEvent('correction.investigation.completed')
  async onInvestigationCompleted(event: EventEnvelope<'correction.investigation.completed'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: INVESTIGATION, recordId: p.investigationId, personKey: p.personKey, town: p.town }, ASSESSMENT_RULES);
  }

  @OnEvent('correction.procuratorate-notice.received')
  async onNoticeReceived(event: EventEnvelope<'correction.procuratorate-notice.received'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const base = { recordType: NOTICE, recordId: p.noticeId, personKey: p.personKey, town: p.town, asOf: event.occurredAt };
    const details = { subjectId: p.subjectId, replyDue: p.replyDue };
    await this.watches.armMany(manager, [
      { ...base, rule: 'CC-16.REPLY_DUE', dueAt: startOfLocalDateInShanghai(p.remindOn), details },
      { ...base, rule: 'CC-16.REPLY_OVERDUE', dueAt: dayAfter(p.replyDue), details },
    ]);
  }

  @OnEvent('correction.procuratorate-notice.replied')
  async onNoticeReplied(event: EventEnvelope<'correction.procuratorate-notice.replied'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: NOTICE, recordId: p.noticeId, personKey: p.personKey, town: p.town }, REPLY_RULES);
  }

  private async armAssessment(
    manager: EntityManager,
    asOf: string,
    p: { investigationId: string; personKey: string; town: string; dueDate: string; remindOn: string },
  ): Promise<void> {
    const base = { recordType: INVESTIGATION, recordId: p.investigationId, personKey: p.personKey, town: p.town, asOf };
    const details = { dueDate: p.dueDate };
    await this.watches.armMany(manager, [
      { ...base, rule: 'CC-14.ASSESSMENT_DUE_SOON', dueAt: startOfLocalDateInShanghai(p.remindOn), details },
      { ...base, rule: 'CC-14.ASSESSMENT_OVERDUE', dueAt: dayAfter(p.dueDate), details },
    ]);
  }
}

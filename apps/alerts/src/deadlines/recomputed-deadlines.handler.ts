import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, EventPayloads, LocalDate, addDays, startOfLocalDateInShanghai } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { WatchesService } from './watches.service';

type Recomputed = EventPayloads['correction.deadlines.recomputed'];

/** The day after `date` at 00:00 Asia/Shanghai: when "not done by `date`" becomes true. */
const dayAfter = (date: LocalDate): Date => startOfLocalDateInShanghai(addDays(date, 1));

interface Move {
  rule: string;
  recordType: string;
  dueAt: Date;
  details: Record<string, unknown>;
}

/** The watches a recomputed record's dates stand for: the same due times as when the record's first event armed them. */
export function movesOf(p: Recomputed): Move[] {
  const out: Move[] = [];
  switch (p.recordType) {
    case 'SUBJECT':
      if (p.reportDeadline) out.push({ rule: 'CC-4.NOT_REPORTED', recordType: 'correction.subject', dueAt: dayAfter(p.reportDeadline), details: { reportDeadline: p.reportDeadline } });
      if (p.documentsDeadline) out.push({ rule: 'CC-3.DOCUMENTS_MISSING', recordType: 'correction.subject', dueAt: dayAfter(p.documentsDeadline), details: { documentsDeadline: p.documentsDeadline } });
      break;
    case 'INVESTIGATION':
      if (p.dueDate) {
        out.push({ rule: 'CC-14.ASSESSMENT_OVERDUE', recordType: 'correction.investigation', dueAt: dayAfter(p.dueDate), details: { dueDate: p.dueDate } });
        if (p.remindOn) out.push({ rule: 'CC-14.ASSESSMENT_DUE_SOON', recordType: 'correction.investigation', dueAt: startOfLocalDateInShanghai(p.remindOn), details: { dueDate: p.dueDate } });
      }
      break;
    case 'MONITORING':
      if (p.warnOn) out.push({ rule: 'CC-12.MONITORING_EXPIRING', recordType: 'correction.monitoring', dueAt: startOfLocalDateInShanghai(p.warnOn), details: { endDate: p.endDate } });
      break;
    case 'PROCURATORATE_NOTICE':
      if (p.replyDue) {
        out.push({ rule: 'CC-16.REPLY_OVERDUE', recordType: 'correction.procuratorate-notice', dueAt: dayAfter(p.replyDue), details: { replyDue: p.replyDue } });
        if (p.remindOn) out.push({ rule: 'CC-16.REPLY_DUE', recordType: 'correction.procuratorate-notice', dueAt: startOfLocalDateInShanghai(p.remindOn), details: { replyDue: p.replyDue } });
      }
      break;
  }
  return out;
}

/**
 * Issue 7 item 10 (CC-23): a holiday table changed and correction recomputed a record's deadlines.
 * Each pending watch of the record moves to the new due time — earlier or later, unlike `armWatch`,
 * which never moves a watch earlier — and its delayed check is re-armed. A watch already satisfied
 * or fired stays as it is; a watch not written yet is written (the event that arms it, delivered
 * later, then leaves it alone). `calendarRevision` in the details keeps an older change, delivered
 * late, from undoing a newer one.
 */
@Injectable()
export class RecomputedDeadlinesHandler {
  constructor(private readonly watches: WatchesService) {}

  @OnEvent('correction.deadlines.recomputed')
  async onRecomputed(event: EventEnvelope<'correction.deadlines.recomputed'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    for (const m of movesOf(p)) {
      await this.watches.moveDue(manager, { rule: m.rule, recordType: m.recordType, recordId: p.recordId, personKey: p.personKey, town: p.town, dueAt: m.dueAt, details: m.details, revision: p.revision });
    }
  }
}

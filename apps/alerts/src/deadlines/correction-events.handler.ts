import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, addDays, startOfLocalDateInShanghai } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { AlertsService } from '../alerts/alerts.service';
import { ArmInput, WatchesService } from './watches.service';
import { DailyCheckInsService } from '../periods/daily-checkins.service';

const SUBJECT = 'correction.subject';
/** AL-3: "correction ends in 30 days". */
export const CORRECTION_ENDING_NOTICE_DAYS = 30;

/** Community-correction lifecycle events that start or stop the clocks of AL-3's correction rules, or raise at once. */
@Injectable()
export class CorrectionEventsHandler {
  constructor(
    private readonly watches: WatchesService,
    private readonly alerts: AlertsService,
    private readonly dailyCheckIns: DailyCheckInsService,
  ) {}

  /**
   * CC-4: not reported on day 11 (the day after the report deadline) → ORANGE "not reported".
   * CC-3: required documents still missing on day 10 (the documents deadline) → YELLOW "documents missing".
   */
  @OnEvent('correction.subject.enrolled')
  async onEnrolled(event: EventEnvelope<'correction.subject.enrolled'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const record = { asOf: event.occurredAt, recordType: SUBJECT, recordId: p.subjectId, personKey: p.personKey, town: p.town };
    const watches: ArmInput[] = [
      {
        ...record,
        rule: 'CC-4.NOT_REPORTED',
        dueAt: startOfLocalDateInShanghai(addDays(p.reportDeadline, 1)),
        details: { reportDeadline: p.reportDeadline },
      },
      {
        ...record,
        rule: 'CC-3.DOCUMENTS_MISSING',
        // CC-3: delivery on the deadline day is on time; missing documents are alerted the day after.
        dueAt: startOfLocalDateInShanghai(addDays(p.documentsDeadline, 1)),
        details: { documentsDeadline: p.documentsDeadline },
      },
    ];
    if (p.correctionEndDate) {
      // AL-3 "correction ends in 30 days" (BLUE); discharge or termination settles it.
      watches.push({
        ...record,
        rule: 'CC-2.CORRECTION_ENDING',
        dueAt: startOfLocalDateInShanghai(addDays(p.correctionEndDate, -CORRECTION_ENDING_NOTICE_DAYS)),
        details: { correctionEndDate: p.correctionEndDate },
      });
    }
    // issue 13 S2: one statement for the enrolment's watches
    await this.watches.armMany(manager, watches);
  }

  /**
   * CC-3: the last required document satisfies the watch. A delivery handled before its enrolment
   * writes the watch settled, so it still counts (WatchesService.settle).
   */
  @OnEvent('correction.documents.delivered')
  async onDocumentsDelivered(event: EventEnvelope<'correction.documents.delivered'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    if (!p.complete) return;
    await this.watches.settle(manager, { recordType: SUBJECT, recordId: p.subjectId, personKey: p.personKey, town: p.town }, ['CC-3.DOCUMENTS_MISSING']);
  }

  @OnEvent('correction.subject.reported')
  async onReported(event: EventEnvelope<'correction.subject.reported'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: SUBJECT, recordId: p.subjectId, personKey: p.personKey, town: p.town }, ['CC-4.NOT_REPORTED']);
  }

  @OnEvent('correction.subject.activated')
  async onActivated(event: EventEnvelope<'correction.subject.activated'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: SUBJECT, recordId: p.subjectId, personKey: p.personKey, town: p.town }, ['CC-4.NOT_REPORTED']);
  }

  /** AL-3 "lost contact" (RED), raised at once; staff resolve it (one open alert per subject, AL-1). */
  @OnEvent('correction.subject.absconded')
  async onAbsconded(event: EventEnvelope<'correction.subject.absconded'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'CC-2.LOST_CONTACT',
      personKey: p.personKey,
      town: p.town,
      recordType: SUBJECT,
      recordId: p.subjectId,
      details: { lostContactOn: p.lostContactOn },
    });
  }

  /** A case that ended has no more deadlines. */
  @OnEvent('correction.subject.discharged')
  async onDischarged(event: EventEnvelope<'correction.subject.discharged'>, manager: EntityManager): Promise<void> {
    await this.watches.settle(manager, { recordType: SUBJECT, recordId: event.payload.subjectId, personKey: null, town: null });
    await this.dailyCheckIns.endSubject(manager, event.payload.subjectId);
  }

  @OnEvent('correction.subject.terminated')
  async onTerminated(event: EventEnvelope<'correction.subject.terminated'>, manager: EntityManager): Promise<void> {
    await this.watches.settle(manager, { recordType: SUBJECT, recordId: event.payload.subjectId, personKey: null, town: null });
    await this.dailyCheckIns.endSubject(manager, event.payload.subjectId);
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, addDays, startOfLocalDateInShanghai } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { AlertsService } from '../alerts/alerts.service';
import { WatchesService } from '../deadlines/watches.service';

const NOTICE = 'resettlement.notice';
const RELEASE = 'resettlement.release';
const REOFFENCE = 'resettlement.reoffence';

/** The day after `date` at 00:00 Asia/Shanghai: when "not done by `date`" becomes true. */
const dayAfter = (date: string): Date => startOfLocalDateInShanghai(addDays(date, 1));

/** Note of a RED pick-up alert resolved because the pick-up was recorded (staff read it). */
export const PICKED_UP_NOTE = 'RS-5: the pick-up was recorded / 已登记接回，预警消除';

/**
 * AL-3 rules of resettlement (issue 9 item 11): notice unverified or receipt unsent 7 days before
 * release (YELLOW, due-date), key person released without pick-up (RED, due-date; resolved when the
 * pick-up is recorded), police hand-over late (ORANGE) and risk assessment late (YELLOW) (due-date),
 * re-offence (RED, event). The due days come computed in the events
 * (resettlement owns the configured numbers).
 */
@Injectable()
export class ResettlementAlertsHandler {
  constructor(
    private readonly watches: WatchesService,
    private readonly alerts: AlertsService,
  ) {}

  /** RS-2: verified and receipt sent by the start of the due day; a notice still in the city queue waits for its town. */
  @OnEvent('resettlement.notice.received')
  async onNoticeReceived(event: EventEnvelope<'resettlement.notice.received'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.noteKeyPerson(manager, p.personKey, p.keyPerson);
    if (p.town === null) return;
    await this.armNotice(manager, event.occurredAt, { ...p, town: p.town });
  }

  @OnEvent('resettlement.notice.town-assigned')
  async onNoticeTownAssigned(event: EventEnvelope<'resettlement.notice.town-assigned'>, manager: EntityManager): Promise<void> {
    await this.alerts.noteKeyPerson(manager, event.payload.personKey, event.payload.keyPerson);
    await this.armNotice(manager, event.occurredAt, event.payload);
  }

  @OnEvent('resettlement.receipt.sent')
  async onReceiptSent(event: EventEnvelope<'resettlement.receipt.sent'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: NOTICE, recordId: p.noticeId, personKey: p.personKey, town: p.town }, ['RS-2.NOTICE_UNVERIFIED']);
  }

  /**
   * RS-5 / RS-6 from a release: a key person's pick-up by the end of the pick-up day (else RED) and
   * police hand-over by its day (else ORANGE); everyone's risk assessment by its day (else YELLOW).
   */
  @OnEvent('resettlement.person.released')
  async onReleased(event: EventEnvelope<'resettlement.person.released'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.noteKeyPerson(manager, p.personKey, p.keyPerson);
    if (p.town === null) return;
    const base = { asOf: event.occurredAt, recordType: RELEASE, recordId: p.releaseId, personKey: p.personKey, town: p.town };
    const details = { releaseDate: p.releaseDate, pickUpDue: p.pickUpDue, policeHandOverDue: p.policeHandOverDue, riskAssessmentDue: p.riskAssessmentDue };
    await this.watches.arm(manager, { ...base, rule: 'RS-6.RISK_ASSESSMENT_LATE', dueAt: dayAfter(p.riskAssessmentDue), details });
    if (!p.keyPerson) return;
    await this.watches.arm(manager, { ...base, rule: 'RS-5.NOT_PICKED_UP', dueAt: dayAfter(p.pickUpDue), details });
    await this.watches.arm(manager, { ...base, rule: 'RS-6.POLICE_HANDOVER_LATE', dueAt: dayAfter(p.policeHandOverDue), details });
  }

  @OnEvent('resettlement.risk.assessed')
  async onAssessed(event: EventEnvelope<'resettlement.risk.assessed'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: RELEASE, recordId: p.releaseId, personKey: p.personKey, town: p.town }, ['RS-6.RISK_ASSESSMENT_LATE']);
  }

  @OnEvent('resettlement.police.handed-over')
  async onHandedOver(event: EventEnvelope<'resettlement.police.handed-over'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: RELEASE, recordId: p.releaseId, personKey: p.personKey, town: p.town }, ['RS-6.POLICE_HANDOVER_LATE']);
  }

  @OnEvent('resettlement.pickup.recorded')
  async onPickedUp(event: EventEnvelope<'resettlement.pickup.recorded'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.watches.settle(manager, { recordType: RELEASE, recordId: p.releaseId, personKey: p.personKey, town: p.town }, ['RS-5.NOT_PICKED_UP']);
    await this.alerts.settleOpen(manager, { rule: 'RS-5.NOT_PICKED_UP', recordType: RELEASE, recordId: p.releaseId }, PICKED_UP_NOTE);
  }

  /** RS-8: a matched re-offence is RED at once (one open alert per report, AL-1). */
  @OnEvent('resettlement.reoffence.reported')
  async onReoffence(event: EventEnvelope<'resettlement.reoffence.reported'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    if (!p.matched || p.town === null) return;
    await this.alerts.raise(manager, {
      rule: 'RS-8.REOFFENCE',
      personKey: p.personKey,
      town: p.town,
      recordType: REOFFENCE,
      recordId: p.reportId,
      details: { offenceDate: p.offenceDate, releaseId: p.releaseId, caseId: p.caseId },
    });
  }

  private async armNotice(
    manager: EntityManager,
    occurredAt: string,
    p: { noticeId: string; personKey: string; town: string; expectedReleaseDate: string; verificationDue: string },
  ): Promise<void> {
    await this.watches.arm(manager, {
      asOf: occurredAt,
      rule: 'RS-2.NOTICE_UNVERIFIED',
      recordType: NOTICE,
      recordId: p.noticeId,
      personKey: p.personKey,
      town: p.town,
      dueAt: startOfLocalDateInShanghai(p.verificationDue),
      details: { expectedReleaseDate: p.expectedReleaseDate, verificationDue: p.verificationDue },
    });
  }
}

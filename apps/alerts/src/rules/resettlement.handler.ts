import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope, addDays, addWorkingDays, localDateInShanghai, quarterOf, quarterRange, startOfLocalDateInShanghai, townCodes } from '@homeward/domain';
import { BusJobs, OnEvent } from '@homeward/bus';
import { Clock } from '@homeward/platform';
import { AlertsConfig } from '../config';
import { AlertsService } from '../alerts/alerts.service';
import { WatchesService } from '../deadlines/watches.service';

const NOTICE = 'resettlement.notice';
const RELEASE = 'resettlement.release';
const REOFFENCE = 'resettlement.reoffence';
const TOWN_QUARTER = 'resettlement.town-quarter';
const OUTREACH_QUEUE = 'alerts.outreach-quarters';
const OUTREACH_SCHEDULER_ID = 'outreach-quarter-watches';

/** The day after `date` at 00:00 Asia/Shanghai: when "not done by `date`" becomes true. */
const dayAfter = (date: string): Date => startOfLocalDateInShanghai(addDays(date, 1));

/** RS-9 (working-day aware, as AC-3): a quarter without a visit is missing from the first working day after its last day. */
const afterQuarter = (quarter: string): Date => startOfLocalDateInShanghai(addWorkingDays(quarterRange(quarter).end, 1));

/** Note of a BLUE outreach alert resolved because a visit of that quarter was recorded late (staff read it). */
export const OUTREACH_RECORDED_NOTE = 'RS-9: a prison outreach visit of the quarter was recorded / 已补登本季度延伸帮教，预警消除';

/** Note of a RED pick-up alert resolved because the pick-up was recorded (staff read it). */
export const PICKED_UP_NOTE = 'RS-5: the pick-up was recorded / 已登记接回，预警消除';

/**
 * AL-3 rules of resettlement (issue 9 item 11): notice unverified or receipt unsent 7 days before
 * release (YELLOW, due-date), key person released without pick-up (RED, due-date; resolved when the
 * pick-up is recorded), police hand-over late (ORANGE) and risk assessment late (YELLOW) (due-date),
 * re-offence (RED, event), prison outreach missing in a quarter (BLUE, due-date: a watch per town and
 * quarter, due on the first working day after the quarter, made for every town for this quarter and the
 * next at start-up and then periodically, ALERT_SWEEP_INTERVAL_SECONDS, as CC-10's months; settled by
 * `resettlement.outreach.visited` of that quarter). The due days come computed in the events
 * (resettlement owns the configured numbers).
 */
@Injectable()
export class ResettlementAlertsHandler implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly watches: WatchesService,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
    @Inject(AlertsConfig) config: AlertsConfig,
    jobs: BusJobs,
  ) {
    // Kept through Redis loss and drained on stop by the bus's job facility (as CC-10's key-person months).
    jobs.process(OUTREACH_QUEUE, () => this.ensureOutreachWatches());
    jobs.every({
      queue: OUTREACH_QUEUE,
      schedulerId: OUTREACH_SCHEDULER_ID,
      jobName: 'ensure',
      everyMs: config.ALERT_SWEEP_INTERVAL_SECONDS * 1000,
      verifyEveryMs: config.SCHEDULER_VERIFY_SECONDS * 1000,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureOutreachWatches();
  }

  /**
   * RS-9: the outreach watches of this quarter and the next for every town (idempotent: an existing
   * watch keeps its state, a fired one is not fired again). Returns how many exist now.
   */
  async ensureOutreachWatches(): Promise<number> {
    const thisQuarter = quarterOf(localDateInShanghai(this.clock.now()));
    const quarters = [thisQuarter, quarterOf(addDays(quarterRange(thisQuarter).end, 1))];
    const asOf = this.clock.now();
    const watches = quarters.flatMap((quarter) =>
      townCodes().map((town) => ({
        asOf,
        rule: 'RS-9.OUTREACH_MISSING',
        recordType: TOWN_QUARTER,
        recordId: townQuarterId(town, quarter),
        personKey: null,
        town,
        dueAt: afterQuarter(quarter),
        details: { quarter },
      })),
    );
    // One statement for the 42 watches (issue 13): the transaction holds their row locks for a moment,
    // not for 42 round trips, so a sweep running beside it (SKIP LOCKED) rarely has to pass them over.
    await this.dataSource.transaction((manager) => this.watches.armMany(manager, watches));
    return watches.length;
  }

  /**
   * RS-9: a visit settles its town's quarter (the watch is written settled if it is not there yet); a visit
   * recorded after the quarter's alert was raised resolves that alert.
   */
  @OnEvent('resettlement.outreach.visited')
  async onOutreachVisited(event: EventEnvelope<'resettlement.outreach.visited'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const ref = { recordType: TOWN_QUARTER, recordId: townQuarterId(p.town, p.quarter), personKey: null, town: p.town };
    await this.watches.settle(manager, ref, ['RS-9.OUTREACH_MISSING']);
    await this.alerts.settleOpen(manager, { rule: 'RS-9.OUTREACH_MISSING', recordType: TOWN_QUARTER, recordId: ref.recordId }, OUTREACH_RECORDED_NOTE);
  }

  /** RS-2: verified and receipt sent by the start of the due day; a notice still in the city queue waits for its town. */
  @OnEvent('resettlement.notice.received')
  async onNoticeReceived(event: EventEnvelope<'resettlement.notice.received'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.noteKeyPerson(manager, p.personKey, p.keyPerson, 'resettlement', p.town);
    if (p.town === null) return;
    await this.armNotice(manager, event.occurredAt, { ...p, town: p.town });
  }

  @OnEvent('resettlement.notice.town-assigned')
  async onNoticeTownAssigned(event: EventEnvelope<'resettlement.notice.town-assigned'>, manager: EntityManager): Promise<void> {
    await this.alerts.noteKeyPerson(manager, event.payload.personKey, event.payload.keyPerson, 'resettlement', event.payload.town);
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
    await this.alerts.noteKeyPerson(manager, p.personKey, p.keyPerson, 'resettlement', p.town);
    if (p.town === null) return;
    const base = { asOf: event.occurredAt, recordType: RELEASE, recordId: p.releaseId, personKey: p.personKey, town: p.town };
    const details = { releaseDate: p.releaseDate, pickUpDue: p.pickUpDue, policeHandOverDue: p.policeHandOverDue, riskAssessmentDue: p.riskAssessmentDue };
    const watches = [{ ...base, rule: 'RS-6.RISK_ASSESSMENT_LATE', dueAt: dayAfter(p.riskAssessmentDue), details }];
    if (p.keyPerson) {
      watches.push(
        { ...base, rule: 'RS-5.NOT_PICKED_UP', dueAt: dayAfter(p.pickUpDue), details },
        { ...base, rule: 'RS-6.POLICE_HANDOVER_LATE', dueAt: dayAfter(p.policeHandOverDue), details },
      );
    }
    await this.watches.armMany(manager, watches);
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

function townQuarterId(town: string, quarter: string): string {
  return `${town}:${quarter}`;
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { EventEnvelope, addDays, addWorkingDays, monthRange, monthsOwed, quarterRange, quartersOwed, startOfLocalDateInShanghai } from '@homeward/domain';
import { OnEvent } from '@homeward/bus';
import { Clock } from '@homeward/platform';
import { AlertsService } from '../alerts/alerts.service';
import { WatchesService } from '../deadlines/watches.service';

const CASE = 'aftercare.case';
const MONTH = 'aftercare.case-month';
const QUARTER = 'aftercare.case-quarter';
const RELAPSE = 'aftercare.relapse';
const STATION_YEAR = 'aftercare.station-year';

/** The day after `date` at 00:00 Asia/Shanghai: when "not done by `date`" becomes true. */
const dayAfter = (date: string): Date => startOfLocalDateInShanghai(addDays(date, 1));
/** AC-3 (working-day aware): a period's follow-up is missing from the first working day after the period's last day. */
const afterPeriod = (lastDay: string): Date => startOfLocalDateInShanghai(addWorkingDays(lastDay, 1));

/**
 * AL-3 rules of aftercare (issue 10): contact not made within 7 days (cfg) of release (ORANGE,
 * due-date; settled by the enrolment), the monthly PHONE and quarterly FACE_TO_FACE follow-up missing
 * (YELLOW, due-date; one watch per case and period, armed at enrolment up to `followUpsUntil`,
 * settled by a follow-up of that period or the closure), relapse (ORANGE, event), a station short of
 * success cases in Q4 (BLUE, event: aftercare's Q4 check decides, once per station and year; resolved
 * when it reports the station met — docs/decisions.md). Aftercare owns the configured numbers; they
 * come computed in the events.
 */
@Injectable()
export class AftercareAlertsHandler {
  constructor(
    private readonly watches: WatchesService,
    private readonly alerts: AlertsService,
    private readonly clock: Clock,
  ) {}

  /** AC-2: a notice still in the city queue waits for its station. */
  @OnEvent('aftercare.notice.received')
  async onNoticeReceived(event: EventEnvelope<'aftercare.notice.received'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    if (p.town === null) return;
    await this.armContact(manager, event.occurredAt, { ...p, town: p.town });
  }

  @OnEvent('aftercare.notice.town-assigned')
  async onTownAssigned(event: EventEnvelope<'aftercare.notice.town-assigned'>, manager: EntityManager): Promise<void> {
    await this.armContact(manager, event.occurredAt, event.payload);
  }

  /** AC-2 settled; AC-3 watches for every month and quarter owed from the enrolment. */
  @OnEvent('aftercare.subject.enrolled')
  async onEnrolled(event: EventEnvelope<'aftercare.subject.enrolled'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const ref = { personKey: p.personKey, town: p.town };
    await this.watches.settle(manager, { ...ref, recordType: CASE, recordId: p.caseId }, ['AC-2.CONTACT_NOT_MADE']);
    // issue 13 S2: every month and quarter owed (up to three years' worth) in one statement, not one each
    const months = monthsOwed(p.contactedOn, p.followUpsUntil).map((month) => ({
      ...ref, asOf: event.occurredAt, rule: 'AC-3.PHONE_MISSING', recordType: MONTH, recordId: `${p.caseId}:${month}`, dueAt: afterPeriod(monthRange(month).end), details: { caseId: p.caseId, period: month },
    }));
    const quarters = quartersOwed(p.contactedOn, p.followUpsUntil).map((quarter) => ({
      ...ref, asOf: event.occurredAt, rule: 'AC-3.VISIT_MISSING', recordType: QUARTER, recordId: `${p.caseId}:${quarter}`, dueAt: afterPeriod(quarterRange(quarter).end), details: { caseId: p.caseId, period: quarter },
    }));
    await this.watches.armMany(manager, [...months, ...quarters]);
  }

  @OnEvent('aftercare.follow-up.recorded')
  async onFollowUp(event: EventEnvelope<'aftercare.follow-up.recorded'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    const phone = p.kind === 'PHONE';
    await this.watches.settle(
      manager,
      { recordType: phone ? MONTH : QUARTER, recordId: `${p.caseId}:${p.period}`, personKey: p.personKey, town: p.town },
      [phone ? 'AC-3.PHONE_MISSING' : 'AC-3.VISIT_MISSING'],
    );
  }

  /** AC-4: a relapse is ORANGE at once (one alert per case and day). */
  @OnEvent('aftercare.relapse.marked')
  async onRelapse(event: EventEnvelope<'aftercare.relapse.marked'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'AC-4.RELAPSE',
      personKey: p.personKey,
      town: p.town,
      recordType: RELAPSE,
      recordId: `${p.caseId}:${p.relapsedOn}`,
      details: { caseId: p.caseId, relapsedOn: p.relapsedOn, source: p.source },
    });
  }

  /** AC-6: a station short of success cases for the year, found by aftercare's Q4 check: BLUE, about the station (no person). */
  @OnEvent('aftercare.success-cases.short')
  async onSuccessCasesShort(event: EventEnvelope<'aftercare.success-cases.short'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.raise(manager, {
      rule: 'AC-6.SUCCESS_CASES_SHORT',
      personKey: null,
      town: p.town,
      recordType: STATION_YEAR,
      recordId: `${p.town}:${p.year}`,
      details: { year: p.year, subjects: p.subjects, successCases: p.successCases, required: p.required },
    });
  }

  /** AC-6: the station caught up: its reminder is resolved with a system note. */
  @OnEvent('aftercare.success-cases.met')
  async onSuccessCasesMet(event: EventEnvelope<'aftercare.success-cases.met'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await this.alerts.settleOpen(
      manager,
      { rule: 'AC-6.SUCCESS_CASES_SHORT', recordType: STATION_YEAR, recordId: `${p.town}:${p.year}` },
      `已培树成功戒毒典型${p.successCases}例，达到本年度要求（${p.required}例）`,
    );
  }

  /** AC-5: a closed case owes nothing more: its pending watches are settled. */
  @OnEvent('aftercare.case.closed')
  async onClosed(event: EventEnvelope<'aftercare.case.closed'>, manager: EntityManager): Promise<void> {
    const p = event.payload;
    await manager.query(
      `UPDATE alerts.watches SET satisfied_at = $6
        WHERE record_type IN ($1, $2, $3) AND (record_id = $4 OR record_id LIKE $5) AND satisfied_at IS NULL AND fired_at IS NULL`,
      [CASE, MONTH, QUARTER, p.caseId, `${p.caseId}:%`, this.clock.now()],
    );
  }

  private async armContact(manager: EntityManager, occurredAt: string, p: { caseId: string; personKey: string; town: string; releaseDate: string; contactDue: string }): Promise<void> {
    await this.watches.arm(manager, {
      asOf: occurredAt,
      rule: 'AC-2.CONTACT_NOT_MADE',
      recordType: CASE,
      recordId: p.caseId,
      personKey: p.personKey,
      town: p.town,
      dueAt: dayAfter(p.contactDue),
      details: { releaseDate: p.releaseDate, contactDue: p.contactDue },
    });
  }
}

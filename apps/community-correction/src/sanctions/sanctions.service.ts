import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  CorrectionStatus,
  DomainError,
  DomainErrorCode,
  SanctionKind,
  SanctionLapseKind,
  SanctionSuggestion,
  addDays,
  compareLocalDate,
  daysBetween,
  isHigherSanction,
  suggestNextSanction,
  type LocalDate,
} from '@homeward/domain';
import { EventPublisher } from '@homeward/bus';
import { AuditWriter, Clock, Principal } from '@homeward/platform';
import { CorrectionSubject } from '../subjects/subject.entity';
import { SubjectAccess, actorName } from '../subjects/subject-access';
import { SupervisionPolicyProvider } from '../supervision/supervision-policy';
import { SupervisionService } from '../supervision/supervision.service';
import { Improvement, Sanction, SanctionThresholdNotice } from './sanction.entity';

export interface RecordSanctionInput {
  subjectId: string;
  kind: SanctionKind;
  decidedOn: LocalDate;
  reason: string;
  decidedBy: string;
}

export interface RecordImprovementInput {
  subjectId: string;
  since: LocalDate;
  note: string;
}

/** One lapse (迟报 / 脱离监管): when it began, when it ended (or today), how many days. */
interface Lapse {
  start: LocalDate;
  end: LocalDate;
  days: number;
  /** CC-11: lateness (report-in, check-in) climbs to 警告 at most; only lost contact leads to revocation. */
  kind: SanctionLapseKind;
}

export interface SuggestedSanction extends SanctionSuggestion {
  lateOrLostContactDays: number;
}

@Injectable()
export class SanctionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly access: SubjectAccess,
    private readonly supervision: SupervisionService,
    private readonly policy: SupervisionPolicyProvider,
  ) {}

  /** CC-11: an officer records the sanction decided; the level becomes STRICT (CC-8). */
  async record(caller: Principal, input: RecordSanctionInput): Promise<Sanction> {
    if (compareLocalDate(input.decidedOn, this.clock.today()) > 0) {
      throw new DomainError(DomainErrorCode.DATE_INVALID, 'the decision date is in the future / 决定日期不能晚于今天', { field: 'decidedOn' });
    }
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.access.activeForChange(manager, caller, input.subjectId, 'correction.sanction.record');
      const sanction = manager.getRepository(Sanction).create({ ...input, recordedBy: actorName(caller) });
      await manager.save(sanction);
      await this.supervision.strictAfterSanction(manager, subject, actorName(caller));
      await this.audit.record(
        {
          actor: caller,
          action: 'correction.sanction.record',
          entityType: 'Sanction',
          entityId: sanction.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { subjectId: subject.id, kind: sanction.kind, decidedOn: sanction.decidedOn },
        },
        manager,
      );
      await this.evaluate(manager, subject);
      return sanction;
    });
  }

  /** CC-11 "without improvement": the officer judges the subject improved from `since`. */
  async recordImprovement(caller: Principal, input: RecordImprovementInput): Promise<Improvement> {
    return this.dataSource.transaction(async (manager) => {
      const subject = await this.access.activeForChange(manager, caller, input.subjectId, 'correction.sanction.improvement');
      const row = manager.getRepository(Improvement).create({ ...input, recordedBy: actorName(caller) });
      await manager.save(row);
      await this.audit.record(
        { actor: caller, action: 'correction.sanction.improvement', entityType: 'CorrectionSubject', entityId: subject.id, personKey: subject.personKey, towns: [subject.town], details: { since: input.since } },
        manager,
      );
      return row;
    });
  }

  async history(subjectIds: readonly string[]): Promise<Map<string, Sanction[]>> {
    const out = new Map<string, Sanction[]>(subjectIds.map((id) => [id, []]));
    if (subjectIds.length === 0) return out;
    const rows = await this.dataSource.getRepository(Sanction).find({ where: { subjectId: In([...subjectIds]) }, order: { decidedOn: 'ASC', createdAt: 'ASC' } });
    for (const r of rows) out.get(r.subjectId)?.push(r);
    return out;
  }

  /** CC-11: what the ladder suggests now for one subject (null: nothing). */
  async suggestionFor(subject: CorrectionSubject, manager: EntityManager = this.dataSource.manager): Promise<SuggestedSanction | null> {
    const today = this.clock.today();
    const sanctions = await manager.getRepository(Sanction).find({ where: { subjectId: subject.id }, order: { decidedOn: 'ASC', createdAt: 'ASC' } });
    const [{ since }] = await manager.query(`SELECT max(since)::text AS since FROM correction.improvements WHERE subject_id = $1`, [subject.id]);
    const lapses = await this.lapsesOf(manager, subject, today);
    const lastSanctionOn = sanctions.length ? sanctions[sanctions.length - 1].decidedOn : null;
    // A lapse that ended before the last sanction was answered by it.
    const open = lapses.filter((l) => !lastSanctionOn || compareLocalDate(l.end, lastSanctionOn) > 0);
    const worst = open.reduce<Lapse | null>((w, l) => (!w || l.days > w.days ? l : w), null);
    const days = worst?.days ?? 0;
    const s = suggestNextSanction(
      sanctions.map((x) => ({ kind: x.kind, decidedOn: x.decidedOn })),
      worst ? { kind: worst.kind, days } : null,
      since ?? null,
      this.policy.thresholds,
    );
    if (!s) return null;
    // Already answered: a sanction as high, decided since the lapse began and since any improvement.
    const answered = sanctions.some(
      (x) =>
        worst &&
        compareLocalDate(x.decidedOn, worst.start) >= 0 &&
        (!since || compareLocalDate(x.decidedOn, since) >= 0) &&
        !isHigherSanction(s.kind, x.kind),
    );
    const fromHistoryOnly = days === 0;
    if (answered && !fromHistoryOnly) return null;
    return { ...s, lateOrLostContactDays: days };
  }

  /**
   * CC-11: computes the suggestion and, when it is new (another kind or reason than the last one
   * announced), publishes `correction.sanction.threshold-reached` in the caller's transaction.
   */
  async evaluate(manager: EntityManager, subject: CorrectionSubject): Promise<SuggestedSanction | null> {
    const s = await this.suggestionFor(subject, manager);
    if (!s) return null;
    const last = await manager.getRepository(SanctionThresholdNotice).findOne({ where: { subjectId: subject.id }, order: { createdAt: 'DESC' } });
    const lastSanction = await manager.getRepository(Sanction).findOne({ where: { subjectId: subject.id }, order: { createdAt: 'DESC' } });
    const announcedSinceLastSanction = last && (!lastSanction || last.createdAt.getTime() >= lastSanction.createdAt.getTime());
    if (announcedSinceLastSanction && last.kind === s.kind) return s;
    await manager.save(manager.getRepository(SanctionThresholdNotice).create({ subjectId: subject.id, kind: s.kind, reason: s.reason.slice(0, 500) }));
    await this.events.publish(manager, 'correction.sanction.threshold-reached', {
      subjectId: subject.id,
      personKey: subject.personKey,
      town: subject.town,
      suggested: s.kind,
      lateOrLostContactDays: s.lateOrLostContactDays,
    });
    return s;
  }

  /**
   * CC-11 as time passes (issue 7 item 1): the ladder changes with the days a report-in is overdue,
   * a check-in is overdue or contact is lost, not only when something is recorded. Re-evaluates every
   * subject that may have a lapse growing today — waiting to report past the deadline, absconded, or
   * with no check-in within the shortest interval — each in its own transaction (evaluate publishes
   * threshold-reached only when the suggestion is new). Returns the number of new suggestions.
   */
  async sweep(batchSize = 200): Promise<number> {
    const today = this.clock.today();
    const shortest = this.policy.shortestCheckInIntervalDays();
    let published = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Array<{ id: string }> = await this.dataSource.query(
        `SELECT s.id FROM correction.subjects s
          WHERE s.id > $4
            AND ((s.status = 'PENDING_REPORT' AND s.reported_on IS NULL AND s.report_deadline < $1::date)
              OR (s.status = 'ACTIVE' AND (s.lost_contact_on IS NOT NULL
                  OR COALESCE((SELECT max(c.on_date) FROM correction.check_ins c WHERE c.subject_id = s.id), s.activated_on) + $2::int < $1::date)))
          ORDER BY s.id LIMIT $3`,
        [today, shortest, batchSize, after],
      );
      for (const { id } of rows) {
        const announced = await this.dataSource.transaction(async (manager) => {
          const subject = await manager.getRepository(CorrectionSubject).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
          if (!subject) return false;
          const before = await manager.getRepository(SanctionThresholdNotice).count({ where: { subjectId: id } });
          await this.evaluate(manager, subject);
          return (await manager.getRepository(SanctionThresholdNotice).count({ where: { subjectId: id } })) > before;
        });
        if (announced) published++;
      }
      if (rows.length < batchSize) return published;
      after = rows[rows.length - 1].id;
    }
  }

  /** Late report-in (CC-4, also while still not reported), late check-ins and the check-in overdue now (CC-9), lost contact (CC-2 ABSCONDED). */
  private async lapsesOf(manager: EntityManager, subject: CorrectionSubject, today: LocalDate): Promise<Lapse[]> {
    const lapses: Lapse[] = [];
    if (subject.status === CorrectionStatus.PENDING_REPORT && !subject.reportedOn && compareLocalDate(today, subject.reportDeadline) > 0) {
      lapses.push({ start: addDays(subject.reportDeadline, 1), end: today, days: daysBetween(subject.reportDeadline, today), kind: 'LATE' });
    }
    if (subject.reportedOn && subject.reportDaysLate && subject.reportDaysLate > 0) {
      lapses.push({ start: addDays(subject.reportDeadline, 1), end: subject.reportedOn, days: subject.reportDaysLate, kind: 'LATE' });
    }
    const late: Array<{ due_on: string; on_date: string; days_late: number }> = await manager.query(
      `SELECT due_on::text, on_date::text, days_late FROM correction.check_ins WHERE subject_id = $1 AND days_late > 0`,
      [subject.id],
    );
    for (const c of late) lapses.push({ start: addDays(c.due_on, 1), end: c.on_date, days: c.days_late, kind: 'LATE' });
    if (subject.activatedOn) {
      const current = await this.supervision.currentOfOne(subject.id, manager);
      const next = await this.supervision.nextDue(manager, subject, current.level);
      const overdue = daysBetween(next, today);
      if (overdue > 0) lapses.push({ start: addDays(next, 1), end: today, days: overdue, kind: 'LATE' });
    }
    if (subject.lostContactOn) {
      lapses.push({ start: subject.lostContactOn, end: today, days: Math.max(0, daysBetween(subject.lostContactOn, today)), kind: 'LOST_CONTACT' });
    }
    return lapses;
  }
}

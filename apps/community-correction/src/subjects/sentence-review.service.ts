import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  CorrectionStatus,
  DomainError,
  DomainErrorCode,
  SentenceType,
  SuspendedPenalty,
  assertSentenceDetails,
  correctionPeriodMisfit,
} from '@homeward/domain';
import { AuditWriter, Clock, EMPTY_PAGE, Principal, inTransaction, keysetPage, personScope, whereInScope } from '@homeward/platform';
import { CorrectionSubject } from './subject.entity';
import { SubjectsService, SubjectPage } from './subjects.service';

export interface SentenceReviewFilter {
  town?: string;
  first: number;
  after?: string;
}

/**
 * CC-6 (issue 7 item 4): the officer's list of open probations whose enrolment did not say which
 * penalty it suspends, or whose stored period conflicts with the penalty the officer entered; and
 * the officer's entry, which applies the narrow bounds and flags (never rejects) a conflict.
 */
@Injectable()
export class SentenceReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subjects: SubjectsService,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
  ) {}

  async list(caller: Principal, filter: SentenceReviewFilter): Promise<SubjectPage> {
    const scope = personScope(caller, filter.town);
    const qb = this.dataSource.getRepository(CorrectionSubject).createQueryBuilder('s');
    if (!whereInScope(qb, 's', scope)) return EMPTY_PAGE;
    qb.andWhere('s.status IN (:...open)', { open: [CorrectionStatus.PENDING_REPORT, CorrectionStatus.ACTIVE] }).andWhere(
      `((s.sentence_type = :probation AND s.suspended_penalty IS NULL) OR s.period_conflict IS NOT NULL)`,
      { probation: SentenceType.PROBATION },
    );
    const page = await keysetPage(qb, 's', { first: filter.first, after: filter.after });
    await this.audit.record({
      actor: caller,
      action: 'correction.sentence-review.list',
      entityType: 'CorrectionSubject',
      towns: scope.towns,
      personKeys: page.items.map((s) => s.personKey),
      details: { ids: page.items.map((s) => s.id) },
    });
    return page;
  }

  /** The officer states the suspended penalty (and term); a stored period that does not fit is flagged. */
  async complete(caller: Principal, subjectId: string, suspendedPenalty: SuspendedPenalty, suspendedTermMonths?: number | null): Promise<CorrectionSubject> {
    return inTransaction(this.dataSource, async (manager) => {
      const subject = await this.subjects.lockForChange(manager, caller, subjectId);
      if (subject.sentenceType !== SentenceType.PROBATION) {
        throw new DomainError(DomainErrorCode.VALIDATION_FAILED, 'CC-6: only a probation suspends a penalty / 仅缓刑需说明所附主刑', {
          field: 'suspendedPenalty',
        });
      }
      if (subject.status !== CorrectionStatus.PENDING_REPORT && subject.status !== CorrectionStatus.ACTIVE) {
        throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'CC-6: the correction has ended / 矫正已结束，不能补录', { field: 'subjectId' });
      }
      const input = {
        sentenceType: subject.sentenceType,
        judgmentEffectiveDate: subject.judgmentEffectiveDate,
        start: subject.correctionStartDate,
        end: subject.correctionEndDate,
        suspendedPenalty,
        suspendedTermMonths: suspendedTermMonths ?? null,
      };
      assertSentenceDetails(input);
      const conflict = correctionPeriodMisfit(input);
      const before = { suspendedPenalty: subject.suspendedPenalty, suspendedTermMonths: subject.suspendedTermMonths, periodConflict: subject.periodConflict };
      subject.suspendedPenalty = suspendedPenalty;
      subject.suspendedTermMonths = suspendedTermMonths ?? null;
      subject.periodConflict = conflict;
      subject.sentenceCompletedOn = this.clock.today();
      subject.sentenceCompletedBy = caller.username ?? caller.sub;
      await manager.save(subject);
      await this.audit.record(
        {
          actor: caller,
          action: conflict ? 'correction.subject.sentence-complete.conflict' : 'correction.subject.sentence-complete',
          entityType: 'CorrectionSubject',
          entityId: subject.id,
          personKey: subject.personKey,
          towns: [subject.town],
          details: { before, suspendedPenalty, suspendedTermMonths: subject.suspendedTermMonths, periodConflict: conflict },
        },
        manager,
      );
      return subject;
    });
  }
}

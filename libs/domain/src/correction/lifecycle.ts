import { compareLocalDate, daysBetween, parseLocalDate, type LocalDate } from '../calendar/local-date';
import { CorrectionStatus } from '../enums/correction-status';
import { SentenceType } from '../enums/sentence-type';
import { DomainError, DomainErrorCode } from '../errors/domain-error';

/**
 * CC-3 / CC-19: types of the documents of a correction case. The first group are the legal
 * documents the deciding body delivers (CC-3); the second group are made by the justice office
 * during the case (CC-19 archive stages).
 */
export enum CorrectionDocumentType {
  JUDGMENT = 'JUDGMENT',
  RULING = 'RULING',
  DECISION = 'DECISION',
  EXECUTION_NOTICE = 'EXECUTION_NOTICE',
  PAROLE_CERTIFICATE = 'PAROLE_CERTIFICATE',
  INDICTMENT = 'INDICTMENT',
  INVESTIGATION_ASSESSMENT = 'INVESTIGATION_ASSESSMENT',
  REPORT_IN_RECORD = 'REPORT_IN_RECORD',
  CORRECTION_PLAN = 'CORRECTION_PLAN',
  ANNOUNCEMENT_RECORD = 'ANNOUNCEMENT_RECORD',
  DISCHARGE_CERTIFICATE = 'DISCHARGE_CERTIFICATE',
}

export const CORRECTION_DOCUMENT_TYPE_LABELS: Record<CorrectionDocumentType, string> = {
  [CorrectionDocumentType.JUDGMENT]: '判决书',
  [CorrectionDocumentType.RULING]: '裁定书',
  [CorrectionDocumentType.DECISION]: '决定书',
  [CorrectionDocumentType.EXECUTION_NOTICE]: '执行通知书',
  [CorrectionDocumentType.PAROLE_CERTIFICATE]: '假释证明书',
  [CorrectionDocumentType.INDICTMENT]: '起诉书',
  [CorrectionDocumentType.INVESTIGATION_ASSESSMENT]: '调查评估意见书',
  [CorrectionDocumentType.REPORT_IN_RECORD]: '报到登记表',
  [CorrectionDocumentType.CORRECTION_PLAN]: '矫正方案',
  [CorrectionDocumentType.ANNOUNCEMENT_RECORD]: '宣告记录',
  [CorrectionDocumentType.DISCHARGE_CERTIFICATE]: '解除社区矫正证明书',
};

/** The legal documents a deciding body may deliver through the partner API (CC-3). */
export const DELIVERABLE_DOCUMENT_TYPES: readonly CorrectionDocumentType[] = Object.freeze([
  CorrectionDocumentType.JUDGMENT,
  CorrectionDocumentType.RULING,
  CorrectionDocumentType.DECISION,
  CorrectionDocumentType.EXECUTION_NOTICE,
  CorrectionDocumentType.PAROLE_CERTIFICATE,
  CorrectionDocumentType.INDICTMENT,
  CorrectionDocumentType.INVESTIGATION_ASSESSMENT,
]);

/**
 * CC-3: the documents that must arrive within 10 days of the judgment taking effect: the judgment
 * and the execution notice, plus the parole ruling and certificate for 假释, and the decision for
 * 暂予监外执行.
 */
export function requiredDeliveryDocuments(sentenceType: SentenceType): CorrectionDocumentType[] {
  const base = [CorrectionDocumentType.JUDGMENT, CorrectionDocumentType.EXECUTION_NOTICE];
  switch (sentenceType) {
    case SentenceType.PAROLE:
      return [...base, CorrectionDocumentType.RULING, CorrectionDocumentType.PAROLE_CERTIFICATE];
    case SentenceType.TEMPORARY_OUTSIDE_EXECUTION:
      return [...base, CorrectionDocumentType.DECISION];
    default:
      return base;
  }
}

/** CC-3: the required documents not yet delivered, in the order of requiredDeliveryDocuments. */
export function missingDeliveryDocuments(sentenceType: SentenceType, delivered: readonly string[]): CorrectionDocumentType[] {
  const have = new Set(delivered);
  return requiredDeliveryDocuments(sentenceType).filter((t) => !have.has(t));
}

/** CC-5: the intake checklist. */
export enum IntakeItem {
  DOCUMENTS_CHECKED = 'DOCUMENTS_CHECKED',
  IDENTITY_VERIFIED = 'IDENTITY_VERIFIED',
  REGISTERED = 'REGISTERED',
  ARCHIVE_OPENED = 'ARCHIVE_OPENED',
  ANNOUNCEMENT_MADE = 'ANNOUNCEMENT_MADE',
}

export const INTAKE_ITEM_LABELS: Record<IntakeItem, string> = {
  [IntakeItem.DOCUMENTS_CHECKED]: '法律文书核对',
  [IntakeItem.IDENTITY_VERIFIED]: '身份核实',
  [IntakeItem.REGISTERED]: '登记接收',
  [IntakeItem.ARCHIVE_OPENED]: '建立档案',
  [IntakeItem.ANNOUNCEMENT_MADE]: '入矫宣告',
};

export const INTAKE_ITEMS: readonly IntakeItem[] = Object.freeze(Object.values(IntakeItem));

/** CC-5: the checklist items not yet done, in checklist order. */
export function missingIntakeItems(done: readonly string[]): IntakeItem[] {
  const have = new Set(done);
  return INTAKE_ITEMS.filter((i) => !have.has(i));
}

/** CC-2: why correction ended with DISCHARGED. */
export enum DischargeReason {
  EXPIRED = 'EXPIRED',
  PARDONED = 'PARDONED',
}

export const DISCHARGE_REASON_LABELS: Record<DischargeReason, string> = {
  [DischargeReason.EXPIRED]: '矫正期满',
  [DischargeReason.PARDONED]: '赦免',
};

/** CC-2: why correction ended with TERMINATED. */
export enum TerminationReason {
  REVOKED = 'REVOKED',
  COMMITTED = 'COMMITTED',
  DECEASED = 'DECEASED',
}

export const TERMINATION_REASON_LABELS: Record<TerminationReason, string> = {
  [TerminationReason.REVOKED]: '撤销缓刑/假释',
  [TerminationReason.COMMITTED]: '收监执行',
  [TerminationReason.DECEASED]: '死亡',
};

/** CC-13: the end reason of a case handed over to another county (status TRANSFERRED_OUT). */
export const TRANSFERRED_OUT_END_REASON = 'TRANSFERRED_OUT';

/** Label of a discharge or termination reason, or of a hand-over out of the county (undefined for anything else). */
export function endReasonLabel(reason: string | null | undefined): string | undefined {
  if (!reason) return undefined;
  if (reason === TRANSFERRED_OUT_END_REASON) return '变更执行地迁出移交';
  return (DISCHARGE_REASON_LABELS as Record<string, string>)[reason] ?? (TERMINATION_REASON_LABELS as Record<string, string>)[reason];
}

/** CC-4: days the report-in came after the report deadline (0 when on time). */
export function reportDaysLate(reportDeadline: LocalDate, reportedOn: LocalDate): number {
  return Math.max(0, daysBetween(reportDeadline, reportedOn));
}

/** A date an officer enters must lie in [notBefore, today]. @throws DomainError(DATE_INVALID). */
export function assertDateWithin(date: LocalDate, field: string, notBefore: LocalDate | null, today: LocalDate, what: string): void {
  parseLocalDate(date, field);
  if (compareLocalDate(date, today) > 0) {
    throw new DomainError(DomainErrorCode.DATE_INVALID, `${what} cannot be in the future / 日期不能晚于今天`, { field, details: { date, today } });
  }
  if (notBefore && compareLocalDate(date, notBefore) < 0) {
    throw new DomainError(DomainErrorCode.DATE_INVALID, `${what} cannot be before ${notBefore} / 日期不能早于 ${notBefore}`, {
      field,
      details: { date, notBefore },
    });
  }
}

export interface ActivationState {
  status: CorrectionStatus;
  reportedOn: LocalDate | null;
  intakeDone: readonly string[];
}

/**
 * CC-5: a subject becomes ACTIVE only from PENDING_REPORT, after reporting in, with every item of
 * the intake checklist done. @throws DomainError(ILLEGAL_TRANSITION) listing what is missing.
 */
export function assertCanActivate(s: ActivationState): void {
  if (s.status !== CorrectionStatus.PENDING_REPORT) {
    throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, `CC-5: only a subject waiting to report in can be activated (now ${s.status}) / 当前状态不能入矫`, {
      field: 'status',
      details: { from: s.status, to: CorrectionStatus.ACTIVE },
    });
  }
  const missingItems = missingIntakeItems(s.intakeDone);
  const notReported = s.reportedOn === null;
  if (missingItems.length > 0 || notReported) {
    const parts = [...(notReported ? ['报到'] : []), ...missingItems.map((i) => INTAKE_ITEM_LABELS[i])];
    throw new DomainError(
      DomainErrorCode.ILLEGAL_TRANSITION,
      `CC-5: the intake is not complete: ${[...(notReported ? ['REPORTED'] : []), ...missingItems].join(', ')} / 入矫手续未完成：${parts.join('、')}`,
      { field: 'intakeChecklist', details: { missingItems, reported: !notReported } },
    );
  }
}

/**
 * CC-2 / issue 7 item 4: which termination reasons fit which sentence. 撤销缓刑/假释 (REVOKED) exists
 * only for probation and parole; 收监执行 (COMMITTED) ends 暂予监外执行 and a 管制 overtaken by a new
 * sentence; death ends any. A new offence (K-CC5 re-offending) is a ground of REVOKED or COMMITTED.
 */
export const TERMINATION_REASONS_BY_SENTENCE: Readonly<Record<SentenceType, readonly TerminationReason[]>> = Object.freeze({
  [SentenceType.CONTROL]: [TerminationReason.COMMITTED, TerminationReason.DECEASED],
  [SentenceType.PROBATION]: [TerminationReason.REVOKED, TerminationReason.DECEASED],
  [SentenceType.PAROLE]: [TerminationReason.REVOKED, TerminationReason.DECEASED],
  [SentenceType.TEMPORARY_OUTSIDE_EXECUTION]: [TerminationReason.COMMITTED, TerminationReason.DECEASED],
});

/** @throws DomainError ILLEGAL_TRANSITION (field `reason`) when the reason does not fit the sentence or a new offence is claimed for a death. */
export function assertTerminationFits(sentenceType: SentenceType, reason: TerminationReason, newOffence = false): void {
  const allowed = TERMINATION_REASONS_BY_SENTENCE[sentenceType] ?? [];
  if (!allowed.includes(reason)) {
    throw new DomainError(
      DomainErrorCode.ILLEGAL_TRANSITION,
      `CC-2: ${reason} (${TERMINATION_REASON_LABELS[reason]}) does not end a ${sentenceType}; allowed: ${allowed.join(', ')} / 该终止原因不适用于此刑罚类型`,
      { field: 'reason', details: { sentenceType, reason, allowed } },
    );
  }
  if (newOffence && reason === TerminationReason.DECEASED) {
    throw new DomainError(DomainErrorCode.ILLEGAL_TRANSITION, 'CC-2: a new offence ends correction by REVOKED or COMMITTED, not DECEASED / 重新犯罪不能以死亡终止', {
      field: 'newOffence',
    });
  }
}

/** CC-2: DISCHARGED for EXPIRED only on or after the last day of correction. @throws DomainError. */
export function assertDischargeDate(reason: DischargeReason, on: LocalDate, correctionEndDate: LocalDate): void {
  if (reason === DischargeReason.EXPIRED && compareLocalDate(on, correctionEndDate) < 0) {
    throw new DomainError(
      DomainErrorCode.ILLEGAL_TRANSITION,
      `CC-2: correction expires on ${correctionEndDate}; it cannot be discharged as EXPIRED on ${on} / 矫正期未满，不能期满解除`,
      { field: 'on', details: { on, correctionEndDate } },
    );
  }
}

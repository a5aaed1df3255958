import { DomainError, DomainErrorCode } from '../errors/domain-error';

/** CC-2 lifecycle. */
export enum CorrectionStatus {
  PENDING_REPORT = 'PENDING_REPORT',
  ACTIVE = 'ACTIVE',
  DISCHARGED = 'DISCHARGED',
  TERMINATED = 'TERMINATED',
  /** CC-13: the case was handed over to another county on a change of residence (迁出移交). */
  TRANSFERRED_OUT = 'TRANSFERRED_OUT',
}

export const CORRECTION_STATUS_LABELS: Record<CorrectionStatus, string> = {
  [CorrectionStatus.PENDING_REPORT]: '待报到',
  [CorrectionStatus.ACTIVE]: '在矫',
  [CorrectionStatus.DISCHARGED]: '解除矫正',
  [CorrectionStatus.TERMINATED]: '终止矫正',
  [CorrectionStatus.TRANSFERRED_OUT]: '已迁出移交',
};

/**
 * CC-2: PENDING_REPORT → ACTIVE → DISCHARGED | TERMINATED. A subject who never reports
 * can still be TERMINATED (e.g. committed to prison, deceased). CC-13: an ACTIVE subject whose
 * change of residence out of Jiangyin took effect is TRANSFERRED_OUT (the receiving county goes on).
 */
export const CORRECTION_STATUS_TRANSITIONS: Readonly<Record<CorrectionStatus, readonly CorrectionStatus[]>> = {
  [CorrectionStatus.PENDING_REPORT]: [CorrectionStatus.ACTIVE, CorrectionStatus.TERMINATED],
  [CorrectionStatus.ACTIVE]: [CorrectionStatus.DISCHARGED, CorrectionStatus.TERMINATED, CorrectionStatus.TRANSFERRED_OUT],
  [CorrectionStatus.DISCHARGED]: [],
  [CorrectionStatus.TERMINATED]: [],
  [CorrectionStatus.TRANSFERRED_OUT]: [],
};

export function canTransitionCorrection(from: CorrectionStatus, to: CorrectionStatus): boolean {
  return CORRECTION_STATUS_TRANSITIONS[from]?.includes(to) ?? false;
}

/** CC-2. @throws DomainError(ILLEGAL_TRANSITION). */
export function assertCorrectionTransition(from: CorrectionStatus, to: CorrectionStatus): void {
  if (!canTransitionCorrection(from, to)) {
    throw new DomainError(
      DomainErrorCode.ILLEGAL_TRANSITION,
      `CC-2: a subject cannot go from ${from} to ${to} / 矫正状态不能从“${CORRECTION_STATUS_LABELS[from] ?? from}”变为“${CORRECTION_STATUS_LABELS[to] ?? to}”`,
      { field: 'status', details: { from, to } },
    );
  }
}

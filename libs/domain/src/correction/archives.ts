import { CorrectionStatus } from '../enums/correction-status';
import { CorrectionDocumentType } from './lifecycle';

/** CC-19: the three archives of a correction case. */
export enum ArchiveKind {
  ENFORCEMENT = 'ENFORCEMENT',
  WORK = 'WORK',
  ELECTRONIC = 'ELECTRONIC',
}

export const ARCHIVE_KIND_LABELS: Record<ArchiveKind, string> = {
  [ArchiveKind.ENFORCEMENT]: '执行档案',
  [ArchiveKind.WORK]: '工作档案',
  [ArchiveKind.ELECTRONIC]: '电子档案',
};

/** CC-19: lifecycle stages of a case, each with its required documents. */
export enum ArchiveStage {
  INTAKE = 'INTAKE',
  SUPERVISION = 'SUPERVISION',
  DISCHARGE = 'DISCHARGE',
}

export const ARCHIVE_STAGE_LABELS: Record<ArchiveStage, string> = {
  [ArchiveStage.INTAKE]: '入矫',
  [ArchiveStage.SUPERVISION]: '矫正实施',
  [ArchiveStage.DISCHARGE]: '解除矫正',
};

/**
 * CC-19: required documents per stage — intake: judgment, execution notice, report-in record;
 * supervision: correction plan, announcement record; discharge: discharge certificate.
 */
export const ARCHIVE_REQUIRED_DOCUMENTS: Readonly<Record<ArchiveStage, readonly CorrectionDocumentType[]>> = Object.freeze({
  [ArchiveStage.INTAKE]: [CorrectionDocumentType.JUDGMENT, CorrectionDocumentType.EXECUTION_NOTICE, CorrectionDocumentType.REPORT_IN_RECORD],
  [ArchiveStage.SUPERVISION]: [CorrectionDocumentType.CORRECTION_PLAN, CorrectionDocumentType.ANNOUNCEMENT_RECORD],
  [ArchiveStage.DISCHARGE]: [CorrectionDocumentType.DISCHARGE_CERTIFICATE],
});

/**
 * CC-19: the stages a subject in this status has reached: one pending report-in is in intake, an
 * active (or absconded-flagged active) one also in supervision, a discharged one in all three. A
 * terminated case (revocation, death…) gets no discharge certificate, so it ends at supervision.
 */
export function archiveStagesReached(status: CorrectionStatus | string): ArchiveStage[] {
  switch (status) {
    case CorrectionStatus.DISCHARGED:
      return [ArchiveStage.INTAKE, ArchiveStage.SUPERVISION, ArchiveStage.DISCHARGE];
    case CorrectionStatus.PENDING_REPORT:
      return [ArchiveStage.INTAKE];
    default:
      return [ArchiveStage.INTAKE, ArchiveStage.SUPERVISION];
  }
}

export interface ArchiveStageCompleteness {
  stage: ArchiveStage;
  required: CorrectionDocumentType[];
  present: CorrectionDocumentType[];
  missing: CorrectionDocumentType[];
  /** 0…100, whole number (floor) — 100 only when nothing is missing. */
  percent: number;
}

/** CC-19: completeness of each reached stage, given the document types on file (any archive). */
export function archiveCompleteness(status: CorrectionStatus | string, onFile: Iterable<string>): ArchiveStageCompleteness[] {
  const have = new Set(onFile);
  return archiveStagesReached(status).map((stage) => {
    const required = [...ARCHIVE_REQUIRED_DOCUMENTS[stage]];
    const present = required.filter((t) => have.has(t));
    const missing = required.filter((t) => !have.has(t));
    return { stage, required, present, missing, percent: Math.floor((present.length * 100) / required.length) };
  });
}

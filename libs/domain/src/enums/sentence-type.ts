import { DomainError, DomainErrorCode } from '../errors/domain-error';

/** CC-1: the four community sentences; anything else is rejected. */
export enum SentenceType {
  CONTROL = 'CONTROL',
  PROBATION = 'PROBATION',
  PAROLE = 'PAROLE',
  TEMPORARY_OUTSIDE_EXECUTION = 'TEMPORARY_OUTSIDE_EXECUTION',
}

export const SENTENCE_TYPE_LABELS: Record<SentenceType, string> = {
  [SentenceType.CONTROL]: '管制',
  [SentenceType.PROBATION]: '缓刑',
  [SentenceType.PAROLE]: '假释',
  [SentenceType.TEMPORARY_OUTSIDE_EXECUTION]: '暂予监外执行',
};

const VALUES = new Set<string>(Object.values(SentenceType));

export function isSentenceType(v: unknown): v is SentenceType {
  return typeof v === 'string' && VALUES.has(v);
}

/** CC-1. @throws DomainError(SENTENCE_TYPE_INVALID) naming `field` (default `sentenceType`). */
export function parseSentenceType(raw: unknown, field = 'sentenceType'): SentenceType {
  if (!isSentenceType(raw)) {
    throw new DomainError(
      DomainErrorCode.SENTENCE_TYPE_INVALID,
      `CC-1: sentence type must be one of ${[...VALUES].join(', ')} / 刑罚执行类别应为管制、缓刑、假释或暂予监外执行`,
      { field },
    );
  }
  return raw;
}

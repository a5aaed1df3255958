import type { EntityManager } from 'typeorm';
import type { LocalDate } from '@homeward/domain';

/**
 * Ports supervision defines and the features built on it provide (issue 8 item 4): CC-8 needs facts
 * that sanctions and check-ins own, but those features depend on supervision, so supervision asks
 * through these tokens instead of reading their tables (and without importing them: no cycle).
 */

/** CC-8 / CC-11 facts of the sanctions feature (provided by sanctions/sanction-facts.ts). */
export const SANCTION_FACTS = Symbol('SANCTION_FACTS');

export interface SanctionFacts {
  /** Day of each subject's last sanction, for the subjects that have one. */
  lastSanctionOn(subjectIds: readonly string[], manager: EntityManager): Promise<Map<string, LocalDate>>;
  /** Day from which each subject was last judged improved, for the subjects that have one. */
  improvementSince(subjectIds: readonly string[], manager: EntityManager): Promise<Map<string, LocalDate>>;
}

/** CC-9 facts of the check-ins feature (provided by check-ins/check-in-facts.ts). */
export const CHECK_IN_FACTS = Symbol('CHECK_IN_FACTS');

export interface CheckInFacts {
  /** Day of the subject's last check-in, or null before the first. */
  lastCheckInOn(subjectId: string, manager: EntityManager): Promise<LocalDate | null>;
}

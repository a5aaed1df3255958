import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 7 items 4 and 6: CC-6 sentence details (the penalty a probation suspends, its term, combined
 * 管制, detention credit, the officer's completion and a conflict flag) and the CC-3 5-day notice
 * (the day the enrolment arrived, its deadline and days late). Rows enrolled before this migration
 * keep null notice columns: their arrival was not recorded (docs/decisions.md, h6).
 */
export class CorrectionSentenceDetails1796700000000 implements MigrationInterface {
  name = 'CorrectionSentenceDetails1796700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE correction.subjects
        ADD COLUMN suspended_penalty varchar(24) CHECK (suspended_penalty IN ('CRIMINAL_DETENTION', 'FIXED_TERM')),
        ADD COLUMN suspended_term_months integer CHECK (suspended_term_months BETWEEN 1 AND 36),
        ADD COLUMN combined_sentences boolean NOT NULL DEFAULT false,
        ADD COLUMN detention_credit_days integer NOT NULL DEFAULT 0 CHECK (detention_credit_days >= 0),
        ADD COLUMN sentence_completed_on date,
        ADD COLUMN sentence_completed_by varchar(120),
        ADD COLUMN period_conflict jsonb,
        ADD COLUMN notified_on date,
        ADD COLUMN notice_deadline date,
        ADD COLUMN notice_days_late integer CHECK (notice_days_late >= 0)`);
    await q.query(`
      CREATE INDEX subjects_sentence_review_idx ON correction.subjects (town, created_at DESC, id DESC)
       WHERE status IN ('PENDING_REPORT', 'ACTIVE')
         AND ((sentence_type = 'PROBATION' AND suspended_penalty IS NULL) OR period_conflict IS NOT NULL)`);
    await q.query(`CREATE INDEX subjects_notice_deadline_idx ON correction.subjects (town, notice_deadline)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX correction.subjects_notice_deadline_idx`);
    await q.query(`DROP INDEX correction.subjects_sentence_review_idx`);
    await q.query(`
      ALTER TABLE correction.subjects
        DROP COLUMN suspended_penalty, DROP COLUMN suspended_term_months, DROP COLUMN combined_sentences,
        DROP COLUMN detention_credit_days, DROP COLUMN sentence_completed_on, DROP COLUMN sentence_completed_by,
        DROP COLUMN period_conflict, DROP COLUMN notified_on, DROP COLUMN notice_deadline, DROP COLUMN notice_days_late`);
  }
}

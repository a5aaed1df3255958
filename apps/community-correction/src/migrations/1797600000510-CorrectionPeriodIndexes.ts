import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 S5: the month's indicators (K-DQ1, CC-29) select each record type by its event date in the
 * period; the large tables had no index on it, so a month of the city read every check-in (3.5
 * million at 700,000 subjects) and every enrolment.
 */
export class CorrectionPeriodIndexes1797600000510 implements MigrationInterface {
  name = 'CorrectionPeriodIndexes1797600000510';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX check_ins_on_date_idx ON correction.check_ins (on_date)`);
    await q.query(`CREATE INDEX supervision_levels_effective_idx ON correction.supervision_levels (effective_on)`);
    await q.query(`CREATE INDEX subjects_enrolment_event_idx ON correction.subjects (judgment_effective_date) WHERE notified_on IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX correction.subjects_enrolment_event_idx`);
    await q.query(`DROP INDEX correction.supervision_levels_effective_idx`);
    await q.query(`DROP INDEX correction.check_ins_on_date_idx`);
  }
}

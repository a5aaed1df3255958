import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 S5: the city's month of indicators at 700,000 subjects.
 * - `subjects_indicators_idx`: the K-CC pass over every subject of the towns reads only the columns it
 *   counts (town, id and the four dates, the new-offence flag): an index-only scan of ~45 MB instead of
 *   the 456 MB table; K-DQ1's check-ins find their subject's town in it too.
 * - `subjects_notified_idx`: K-CC3N's notices of a period by their arrival day (it read every subject).
 */
export class CorrectionIndicatorIndexes1797600000600 implements MigrationInterface {
  name = 'CorrectionIndicatorIndexes1797600000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX subjects_indicators_idx ON correction.subjects (town) INCLUDE (id, activated_on, ended_on, report_deadline, reported_on, ended_for_new_offence)`,
    );
    await q.query(`CREATE INDEX subjects_notified_idx ON correction.subjects (notified_on) INCLUDE (town, notice_days_late) WHERE notified_on IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX correction.subjects_notified_idx`);
    await q.query(`DROP INDEX correction.subjects_indicators_idx`);
  }
}

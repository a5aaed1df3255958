import { MigrationInterface, QueryRunner } from 'typeorm';
import { caseAssignmentsDdl } from '@homeward/platform';

/** Issue 6 item 7: social workers are assigned to subjects (history kept); their reads are filtered by it. */
export class CorrectionCaseAssignments1795835500000 implements MigrationInterface {
  name = 'CorrectionCaseAssignments1795835500000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of caseAssignmentsDdl('correction')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS correction.case_assignments`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { caseAssignmentsDdl } from '@homeward/platform';

/** Issue 6 item 7: alerts' copy of correction's social worker assignments (from correction.assignment.changed). */
export class AlertsCaseAssignments1795835500000 implements MigrationInterface {
  name = 'AlertsCaseAssignments1795835500000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of caseAssignmentsDdl('alerts')) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS alerts.case_assignments`);
  }
}

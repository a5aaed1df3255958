import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-28 case reports (案例报送) and their acceptance (录用), for K-CC8. */
export class CorrectionCaseReports1795831200000 implements MigrationInterface {
  name = 'CorrectionCaseReports1795831200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.case_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        month char(7) NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        title_cipher text NOT NULL,
        narrative_cipher text NOT NULL,
        subject_id uuid REFERENCES correction.subjects (id),
        status varchar(10) NOT NULL CHECK (status IN ('REPORTED', 'ACCEPTED', 'DECLINED')),
        reported_by varchar(120) NOT NULL,
        reported_on date NOT NULL,
        decided_by varchar(120),
        decided_on date,
        decision_note varchar(1000),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'REPORTED') = (decided_on IS NULL))
      )`);
    await q.query(`CREATE INDEX case_reports_town_month_idx ON correction.case_reports (town, month)`);
    await q.query(`CREATE INDEX case_reports_town_created_idx ON correction.case_reports (town, created_at DESC, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.case_reports`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** RS-13 disputes (矛盾纠纷) recorded on an assistance case; pushed to subscribed departments as DISPUTE. */
export class ResettlementDisputes1797500000100 implements MigrationInterface {
  name = 'ResettlementDisputes1797500000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resettlement.case_disputes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES resettlement.assistance_cases (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        category varchar(20) NOT NULL CHECK (category IN ('FAMILY', 'NEIGHBOURHOOD', 'LAND_HOUSING', 'LABOUR', 'DEBT', 'COMPENSATION', 'OTHER')),
        occurred_on date NOT NULL,
        summary_cipher text NOT NULL,
        recorded_by varchar(80) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX case_disputes_case_idx ON resettlement.case_disputes (case_id, occurred_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resettlement.case_disputes`);
  }
}

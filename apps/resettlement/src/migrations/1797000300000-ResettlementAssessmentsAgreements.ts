import { MigrationInterface, QueryRunner } from 'typeorm';

/** RS-6 risk assessments and police hand-overs of a release; RS-4 agreements (1+1+N). */
export class ResettlementAssessmentsAgreements1797000300000 implements MigrationInterface {
  name = 'ResettlementAssessmentsAgreements1797000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resettlement.risk_assessments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        release_id uuid NOT NULL REFERENCES resettlement.releases (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        level varchar(10) NOT NULL CHECK (level IN ('LOW', 'MEDIUM', 'HIGH')),
        factors_cipher text NOT NULL,
        assessed_on date NOT NULL,
        assessed_by varchar(80) NOT NULL,
        on_time boolean NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX risk_assessments_release_idx ON resettlement.risk_assessments (release_id, assessed_on)`);
    await q.query(`
      CREATE TABLE resettlement.police_hand_overs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        release_id uuid NOT NULL UNIQUE REFERENCES resettlement.releases (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        police_unit_cipher text NOT NULL,
        handed_over_on date NOT NULL,
        recorded_by varchar(80) NOT NULL,
        on_time boolean NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE resettlement.agreements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid NOT NULL REFERENCES resettlement.pre_release_notices (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        parties_cipher text NOT NULL,
        clauses_cipher text NOT NULL,
        signed_on date NOT NULL,
        recorded_by varchar(80) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX agreements_notice_uq ON resettlement.agreements (notice_id)`);
    await q.query(`ALTER TABLE resettlement.pre_release_notices ADD COLUMN agreement_applied boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE resettlement.pre_release_notices DROP COLUMN agreement_applied`);
    for (const t of ['agreements', 'police_hand_overs', 'risk_assessments']) await q.query(`DROP TABLE resettlement.${t}`);
  }
}

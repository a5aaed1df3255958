import { MigrationInterface, QueryRunner } from 'typeorm';

/** RS-7 welfare referrals, employment services and resettlement status; RS-9 prison outreach; RS-12 the social-worker roster. */
export class ResettlementWelfareOutreach1797000400000 implements MigrationInterface {
  name = 'ResettlementWelfareOutreach1797000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resettlement.welfare_referrals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES resettlement.assistance_cases (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        kind varchar(40) NOT NULL CHECK (kind IN ('MINIMUM_LIVING_ALLOWANCE', 'EXTREME_POVERTY_SUPPORT', 'MEDICAL', 'EDUCATION', 'HOUSING', 'TEMPORARY_RELIEF')),
        status varchar(12) NOT NULL CHECK (status IN ('REFERRED', 'GRANTED', 'REFUSED', 'ENDED')),
        referred_on date NOT NULL,
        decided_on date,
        note_cipher text,
        recorded_by varchar(80) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX welfare_referrals_case_idx ON resettlement.welfare_referrals (case_id)`);
    await q.query(`
      CREATE TABLE resettlement.employment_services (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES resettlement.assistance_cases (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        kind varchar(40) NOT NULL CHECK (kind IN ('UNEMPLOYMENT_REGISTRATION', 'SKILLS_TRAINING', 'JOB_REFERRAL')),
        provided_on date NOT NULL,
        note_cipher text,
        recorded_by varchar(80) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX employment_services_case_idx ON resettlement.employment_services (case_id, provided_on)`);
    await q.query(`ALTER TABLE resettlement.assistance_cases ADD COLUMN resettlement_status varchar(20) NOT NULL DEFAULT 'NOT_RESETTLED'
      CHECK (resettlement_status IN ('EMPLOYED', 'SELF_EMPLOYED', 'FLEXIBLE', 'BASE_PLACEMENT', 'WELFARE', 'NOT_RESETTLED'))`);
    await q.query(`ALTER TABLE resettlement.assistance_cases ADD COLUMN resettlement_status_since date`);
    await q.query(`
      CREATE TABLE resettlement.outreach_visits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        prison_name varchar(200) NOT NULL,
        visited_on date NOT NULL,
        participants integer NOT NULL CHECK (participants > 0),
        note_cipher text,
        recorded_by varchar(80) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outreach_visits_town_idx ON resettlement.outreach_visits (town, visited_on)`);
    await q.query(`
      CREATE TABLE resettlement.social_workers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        name_cipher text NOT NULL,
        started_on date NOT NULL,
        ended_on date CHECK (ended_on IS NULL OR ended_on >= started_on),
        recorded_by varchar(80) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX social_workers_town_idx ON resettlement.social_workers (town)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['social_workers', 'outreach_visits', 'employment_services', 'welfare_referrals']) await q.query(`DROP TABLE resettlement.${t}`);
    await q.query(`ALTER TABLE resettlement.assistance_cases DROP COLUMN resettlement_status_since, DROP COLUMN resettlement_status`);
  }
}

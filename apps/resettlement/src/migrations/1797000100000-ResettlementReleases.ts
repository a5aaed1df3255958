import { MigrationInterface, QueryRunner } from 'typeorm';

/** RS-5 releases and pick-ups, RS-6 the assistance case of a release, RS-8 re-offence reports. */
export class ResettlementReleases1797000100000 implements MigrationInterface {
  name = 'ResettlementReleases1797000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resettlement.releases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid REFERENCES resettlement.pre_release_notices (id),
        person_key char(64) NOT NULL,
        town varchar(8),
        prison_agency varchar(120) NOT NULL,
        actual_release_date date NOT NULL,
        handed_over_to_cipher text,
        key_person boolean NOT NULL,
        pick_up_due date NOT NULL,
        risk_assessment_due date NOT NULL,
        police_hand_over_due date NOT NULL,
        case_id uuid REFERENCES resettlement.assistance_cases (id),
        picked_up_at timestamptz(3),
        picked_up_by varchar(30) CHECK (picked_up_by IN ('OFFICE_STAFF', 'FAMILY', 'VILLAGE_COMMITTEE')),
        pick_up_cipher text,
        pick_up_recorded_by varchar(80),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((picked_up_at IS NULL) = (picked_up_by IS NULL)),
        CHECK (town IS NOT NULL OR case_id IS NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX releases_notice_uq ON resettlement.releases (notice_id) WHERE notice_id IS NOT NULL`);
    await q.query(`CREATE INDEX releases_person_key_idx ON resettlement.releases (person_key, actual_release_date)`);
    await q.query(`CREATE INDEX releases_town_date_idx ON resettlement.releases (town, actual_release_date)`);
    await q.query(`
      CREATE TABLE resettlement.reoffence_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_key char(64) NOT NULL,
        police_agency varchar(120) NOT NULL,
        offence_date date NOT NULL,
        case_no_cipher text NOT NULL,
        case_no_index char(64) NOT NULL,
        release_id uuid REFERENCES resettlement.releases (id),
        case_id uuid REFERENCES resettlement.assistance_cases (id),
        town varchar(8),
        reported_on date NOT NULL,
        matched_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((release_id IS NULL AND case_id IS NULL) = (matched_at IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX reoffence_reports_case_uq ON resettlement.reoffence_reports (police_agency, case_no_index, person_key)`);
    await q.query(`CREATE INDEX reoffence_reports_unmatched_idx ON resettlement.reoffence_reports (person_key) WHERE matched_at IS NULL`);
    await q.query(`CREATE INDEX reoffence_reports_release_idx ON resettlement.reoffence_reports (release_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resettlement.reoffence_reports`);
    await q.query(`DROP TABLE resettlement.releases`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { caseAssignmentsDdl } from '@homeward/platform';

/**
 * RS-6 the assistance team (帮教小组) and plan (帮教方案) of an assistance case, and the social
 * workers' caseload (`resettlement.case_assignments`, the platform's generic table): a SOCIAL_WORKER
 * member with a staff user id is also an assignment. Names, removal reasons, goals and measures are
 * stored encrypted. Nothing is deleted: a member is removed by removed_at / removed_by / reason, a
 * plan is replaced by a new version.
 */
export class ResettlementTeamsPlans1797500000700 implements MigrationInterface {
  name = 'ResettlementTeamsPlans1797500000700';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of caseAssignmentsDdl('resettlement')) await q.query(sql);
    await q.query(`
      CREATE TABLE resettlement.assistance_team_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES resettlement.assistance_cases (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        role varchar(20) NOT NULL CHECK (role IN ('TOWN_OFFICER', 'SOCIAL_WORKER', 'FAMILY', 'VOLUNTEER', 'GRID_WORKER', 'POLICE_OFFICER', 'EMPLOYER')),
        name_cipher text NOT NULL,
        staff_user_id varchar(128),
        staff_username varchar(80),
        assignment_id uuid,
        added_at timestamptz(3) NOT NULL,
        added_by varchar(128) NOT NULL,
        removed_at timestamptz(3),
        removed_by varchar(128),
        removal_reason_cipher text,
        CHECK ((removed_at IS NULL) = (removed_by IS NULL) AND (removed_at IS NULL) = (removal_reason_cipher IS NULL)),
        CHECK (staff_user_id IS NULL OR role NOT IN ('FAMILY', 'VOLUNTEER', 'EMPLOYER'))
      )`);
    await q.query(`CREATE INDEX assistance_team_members_case_idx ON resettlement.assistance_team_members (case_id, added_at)`);
    await q.query(
      `CREATE UNIQUE INDEX assistance_team_members_active_staff_key ON resettlement.assistance_team_members (case_id, staff_user_id) WHERE removed_at IS NULL AND staff_user_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE resettlement.assistance_plans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES resettlement.assistance_cases (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        goals_cipher text NOT NULL,
        measures_cipher text NOT NULL,
        review_on date NOT NULL,
        recorded_by varchar(128) NOT NULL,
        created_at timestamptz(3) NOT NULL,
        UNIQUE (case_id, version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resettlement.assistance_plans`);
    await q.query(`DROP TABLE resettlement.assistance_team_members`);
    await q.query(`DROP TABLE resettlement.case_assignments`);
  }
}

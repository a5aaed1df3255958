import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 6 items 6 and 8: a partner client's previous secret stays valid for a grace period after a
 * rotation; staff accounts made by a security admin start as one-time enrolments (a code the new user
 * redeems to set the password and get the TOTP secret), privileged roles only after a second admin approves.
 */
export class PartnerSecretRotationEnrolments1796123503934 implements MigrationInterface {
  name = 'PartnerSecretRotationEnrolments1796123503934';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.partner_clients ADD COLUMN previous_secret_hash text`);
    await q.query(`ALTER TABLE identity.partner_clients ADD COLUMN previous_secret_valid_until timestamptz(3)`);
    await q.query(`ALTER TABLE identity.partner_clients ADD COLUMN secret_rotated_at timestamptz(3)`);

    await q.query(`
      CREATE TABLE identity.enrolments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0),
        towns text[] NOT NULL DEFAULT '{}',
        code_hash text NOT NULL,
        status varchar(20) NOT NULL CHECK (status IN ('PENDING_APPROVAL', 'OPEN', 'USED', 'CANCELLED')),
        requested_by varchar(100) NOT NULL,
        requested_by_username varchar(64),
        approved_by varchar(100),
        approved_by_username varchar(64),
        approved_at timestamptz(3),
        expires_at timestamptz(3) NOT NULL,
        used_at timestamptz(3),
        user_id uuid REFERENCES identity.users (id),
        created_at timestamptz(3) NOT NULL,
        CONSTRAINT enrolments_approver_differs CHECK (approved_by IS NULL OR approved_by <> requested_by)
      )`);
    await q.query(`CREATE UNIQUE INDEX enrolments_code_hash_key ON identity.enrolments (code_hash)`);
    await q.query(
      `CREATE UNIQUE INDEX enrolments_one_open_per_username ON identity.enrolments (username) WHERE status IN ('PENDING_APPROVAL', 'OPEN')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity.enrolments`);
    await q.query(`ALTER TABLE identity.partner_clients DROP COLUMN secret_rotated_at`);
    await q.query(`ALTER TABLE identity.partner_clients DROP COLUMN previous_secret_valid_until`);
    await q.query(`ALTER TABLE identity.partner_clients DROP COLUMN previous_secret_hash`);
  }
}

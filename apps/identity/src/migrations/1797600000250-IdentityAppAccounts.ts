import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 12 item 1: accounts of the subject's app (在矫通) and the team's app (协矫通) are users with
 * the role SUBJECT or TEAM_MEMBER whose id is the account id community-correction issued
 * (`app_access.accounts`). They log in only from the device bound at activation (a SHA-256 of the
 * device id the app sends). Each activation code is used once: its id is kept here, because
 * identity may only read `app_access`.
 */
export class IdentityAppAccounts1797600000250 implements MigrationInterface {
  name = 'IdentityAppAccounts1797600000250';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE identity.users ADD COLUMN device_hash char(64)`);
    await q.query(`
      CREATE TABLE identity.activation_uses (
        activation_id uuid PRIMARY KEY,
        account_id uuid NOT NULL,
        used_at timestamptz(3) NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity.activation_uses`);
    await q.query(`ALTER TABLE identity.users DROP COLUMN device_hash`);
  }
}

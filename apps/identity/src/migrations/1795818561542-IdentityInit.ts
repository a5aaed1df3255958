import { MigrationInterface, QueryRunner } from 'typeorm';

/** Staff users, their sessions (idle timeout), partner clients and the token signing keys. */
export class IdentityInit1795818561542 implements MigrationInterface {
  name = 'IdentityInit1795818561542';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity.users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0),
        towns text[] NOT NULL DEFAULT '{}',
        totp_secret_cipher text,
        totp_last_counter bigint,
        failed_attempts integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
        locked_until timestamptz(3),
        active boolean NOT NULL DEFAULT true,
        password_changed_at timestamptz(3) NOT NULL DEFAULT now(),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT users_username_lower CHECK (username = lower(username))
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON identity.users (username)`);

    await q.query(`
      CREATE TABLE identity.sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES identity.users (id) ON DELETE CASCADE,
        created_at timestamptz(3) NOT NULL,
        last_seen_at timestamptz(3) NOT NULL,
        ended_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX sessions_user_open_idx ON identity.sessions (user_id) WHERE ended_at IS NULL`);

    await q.query(`
      CREATE TABLE identity.partner_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id varchar(100) NOT NULL,
        secret_hash text NOT NULL,
        agency_kind varchar(40) NOT NULL CHECK (agency_kind IN
          ('COURT', 'PROCURATORATE', 'POLICE', 'PRISON', 'REHAB_CENTRE', 'MONITORING_PLATFORM')),
        agency_name varchar(200) NOT NULL,
        agency_id varchar(100) NOT NULL,
        scopes text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX partner_clients_client_id_key ON identity.partner_clients (client_id)`);

    await q.query(`
      CREATE TABLE identity.signing_keys (
        kid varchar(64) PRIMARY KEY,
        algorithm varchar(10) NOT NULL DEFAULT 'RS256',
        public_jwk jsonb NOT NULL,
        private_key_cipher text NOT NULL,
        active boolean NOT NULL DEFAULT false,
        created_at timestamptz(3) NOT NULL,
        retired_at timestamptz(3),
        CONSTRAINT signing_keys_active_not_retired CHECK (NOT (active AND retired_at IS NOT NULL))
      )`);
    // At most one key signs at a time.
    await q.query(`CREATE UNIQUE INDEX signing_keys_one_active ON identity.signing_keys ((true)) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE identity.signing_keys`);
    await q.query(`DROP TABLE identity.partner_clients`);
    await q.query(`DROP TABLE identity.sessions`);
    await q.query(`DROP TABLE identity.users`);
  }
}

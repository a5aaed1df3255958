import { MigrationInterface, QueryRunner } from 'typeorm';

/** RS-13 information push: subscribers, their signing keys (encrypted), deliveries and the delivery log. */
export class ResettlementPush1797200000000 implements MigrationInterface {
  name = 'ResettlementPush1797200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resettlement.push_subscribers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        department varchar(40) NOT NULL CHECK (department IN ('CIVIL_AFFAIRS', 'HEALTH', 'HUMAN_RESOURCES_SOCIAL_SECURITY', 'POLICE')),
        label varchar(200) NOT NULL,
        endpoint_url varchar(2000) NOT NULL CHECK (endpoint_url ~ '^https?://'),
        kinds text[] NOT NULL CHECK (cardinality(kinds) > 0
          AND kinds <@ ARRAY['WELFARE_REFERRAL', 'HEALTH', 'HARDSHIP', 'DISPUTE', 'KEY_PERSON_RELEASE']::text[]),
        paused boolean NOT NULL DEFAULT false,
        created_by varchar(80) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE resettlement.push_signing_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscriber_id uuid NOT NULL REFERENCES resettlement.push_subscribers (id),
        key_id varchar(40) NOT NULL,
        secret_cipher text NOT NULL,
        retires_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (subscriber_id, key_id)
      )`);
    // One current key per subscriber.
    await q.query(`CREATE UNIQUE INDEX push_signing_keys_current_idx ON resettlement.push_signing_keys (subscriber_id) WHERE retires_at IS NULL`);
    await q.query(`
      CREATE TABLE resettlement.push_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscriber_id uuid NOT NULL REFERENCES resettlement.push_subscribers (id),
        kind varchar(40) NOT NULL,
        event_id uuid NOT NULL,
        town varchar(8),
        person_key char(64),
        payload jsonb NOT NULL,
        status varchar(12) NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz(3),
        delivered_at timestamptz(3),
        dead_at timestamptz(3),
        last_error text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (event_id, subscriber_id, kind)
      )`);
    await q.query(`CREATE INDEX push_deliveries_status_idx ON resettlement.push_deliveries (status, created_at)`);
    await q.query(`CREATE INDEX push_deliveries_subscriber_idx ON resettlement.push_deliveries (subscriber_id, created_at)`);
    await q.query(`
      CREATE TABLE resettlement.push_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL REFERENCES resettlement.push_deliveries (id),
        attempt integer NOT NULL CHECK (attempt > 0),
        status_code integer,
        duration_ms integer NOT NULL,
        error text,
        key_ids varchar(40) NOT NULL,
        attempted_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX push_attempts_delivery_idx ON resettlement.push_attempts (delivery_id, attempt)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['push_attempts', 'push_deliveries', 'push_signing_keys', 'push_subscribers']) await q.query(`DROP TABLE resettlement.${t}`);
  }
}

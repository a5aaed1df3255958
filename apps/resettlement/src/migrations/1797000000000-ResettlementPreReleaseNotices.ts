import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RS-1 / RS-2 / RS-3: pre-release notices from prisons, their verification by the town office and
 * the receipt. Person data only as FieldCipher tokens (`*_cipher`) and keyed indexes.
 */
export class ResettlementPreReleaseNotices1797000000000 implements MigrationInterface {
  name = 'ResettlementPreReleaseNotices1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resettlement.pre_release_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_key char(64) NOT NULL,
        id_number_cipher text NOT NULL,
        masked_id_number varchar(32) NOT NULL,
        name_cipher text NOT NULL,
        name_index char(64) NOT NULL,
        gender varchar(8) NOT NULL,
        birth_date_cipher text NOT NULL,
        phone_cipher text,
        registered_address_cipher text,
        residence_address_cipher text,
        residence_town_code varchar(8) NOT NULL,
        registered_town_code varchar(8),
        town varchar(8),
        matched_by varchar(20) NOT NULL CHECK (matched_by IN ('RESIDENCE', 'REGISTRATION', 'ASSIGNED', 'CITY_QUEUE')),
        prison_agency varchar(120) NOT NULL,
        prisoner_no_cipher text NOT NULL,
        prisoner_no_index char(64) NOT NULL,
        expected_release_date date NOT NULL,
        offence_cipher text NOT NULL,
        sentence_cipher text NOT NULL,
        conduct_cipher text NOT NULL,
        health_cipher text,
        key_categories text[] NOT NULL DEFAULT '{}',
        key_person boolean NOT NULL,
        received_on date NOT NULL,
        verification_due date NOT NULL,
        verification varchar(20) CHECK (verification IN ('VERIFIED', 'DISCREPANCY')),
        verification_cipher text,
        verified_on date,
        verified_by varchar(80),
        receipt_status varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (receipt_status IN ('PENDING', 'SENT')),
        receipt_sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (receipt_status = 'PENDING' OR verification IS NOT NULL),
        CHECK ((town IS NULL) = (matched_by = 'CITY_QUEUE'))
      )`);
    await q.query(`CREATE UNIQUE INDEX pre_release_notices_prisoner_uq ON resettlement.pre_release_notices (prison_agency, prisoner_no_index, expected_release_date)`);
    await q.query(`CREATE INDEX pre_release_notices_person_key_idx ON resettlement.pre_release_notices (person_key)`);
    await q.query(`CREATE INDEX pre_release_notices_town_release_idx ON resettlement.pre_release_notices (town, expected_release_date)`);
    await q.query(`CREATE INDEX pre_release_notices_city_queue_idx ON resettlement.pre_release_notices (expected_release_date) WHERE town IS NULL`);
    await q.query(`
      CREATE TABLE resettlement.key_category_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notice_id uuid NOT NULL REFERENCES resettlement.pre_release_notices (id),
        before text[] NOT NULL,
        after text[] NOT NULL,
        reason_cipher text NOT NULL,
        changed_by varchar(80) NOT NULL,
        changed_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX key_category_changes_notice_idx ON resettlement.key_category_changes (notice_id, changed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resettlement.key_category_changes`);
    await q.query(`DROP TABLE resettlement.pre_release_notices`);
  }
}

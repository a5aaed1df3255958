import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AC-1 … AC-5: release notices from rehabilitation centres (matched to a town service station or
 * the city queue), the aftercare case each opens (contact, enrolment, relapse, closure), follow-ups
 * and drug tests. Person data only as FieldCipher tokens (`*_cipher`) and keyed indexes.
 */
export class AftercareReleaseNotices1797300000000 implements MigrationInterface {
  name = 'AftercareReleaseNotices1797300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aftercare.release_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_key char(64) NOT NULL,
        id_number_cipher text NOT NULL,
        masked_id_number varchar(32) NOT NULL,
        name_cipher text NOT NULL,
        name_index char(64) NOT NULL,
        gender varchar(8) NOT NULL,
        birth_date_cipher text NOT NULL,
        phone_cipher text,
        residence_address_cipher text,
        residence_town_code varchar(8) NOT NULL,
        town varchar(8),
        matched_by varchar(20) NOT NULL CHECK (matched_by IN ('RESIDENCE', 'ASSIGNED', 'CITY_QUEUE')),
        centre_agency varchar(120) NOT NULL,
        centre_record_no_cipher text NOT NULL,
        centre_record_no_index char(64) NOT NULL,
        release_date date NOT NULL,
        key_person boolean NOT NULL,
        community_rehabilitation boolean NOT NULL,
        received_on date NOT NULL,
        late boolean NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((town IS NULL) = (matched_by = 'CITY_QUEUE'))
      )`);
    await q.query(`CREATE UNIQUE INDEX release_notices_centre_record_uq ON aftercare.release_notices (centre_agency, centre_record_no_index, release_date)`);
    await q.query(`CREATE INDEX release_notices_person_key_idx ON aftercare.release_notices (person_key)`);
    await q.query(`CREATE INDEX release_notices_town_release_idx ON aftercare.release_notices (town, release_date)`);
    await q.query(`CREATE INDEX release_notices_city_queue_idx ON aftercare.release_notices (release_date) WHERE town IS NULL`);

    await q.query(`ALTER TABLE aftercare.cases ALTER COLUMN town DROP NOT NULL`);
    await q.query(`
      ALTER TABLE aftercare.cases
        ADD COLUMN notice_id uuid REFERENCES aftercare.release_notices (id),
        ADD COLUMN key_person boolean NOT NULL DEFAULT false,
        ADD COLUMN community_rehabilitation boolean NOT NULL DEFAULT false,
        ADD COLUMN contact_due date,
        ADD COLUMN contact_card_issued_on date,
        ADD COLUMN first_contact_on date,
        ADD COLUMN enrolled_on date,
        ADD COLUMN relapse_count integer NOT NULL DEFAULT 0,
        ADD COLUMN last_relapse_on date,
        ADD COLUMN refused_tests integer NOT NULL DEFAULT 0,
        ADD COLUMN serious_breach_on date,
        ADD COLUMN closed_on date,
        ADD COLUMN closure_reason varchar(30) CHECK (closure_reason IN ('ABSTINENT_THREE_YEARS', 'MOVED', 'DIED', 'REDETAINED')),
        ADD COLUMN updated_at timestamptz(3) NOT NULL DEFAULT now(),
        ADD COLUMN version integer NOT NULL DEFAULT 1,
        ADD CONSTRAINT cases_status_ck CHECK (status IN ('AWAITING_CONTACT', 'ENROLLED', 'CLOSED')),
        ADD CONSTRAINT cases_closed_ck CHECK ((status = 'CLOSED') = (closed_on IS NOT NULL))`);
    await q.query(`CREATE UNIQUE INDEX cases_notice_uq ON aftercare.cases (notice_id) WHERE notice_id IS NOT NULL`);
    await q.query(`CREATE INDEX cases_town_status_idx ON aftercare.cases (town, status)`);

    await q.query(`
      CREATE TABLE aftercare.follow_ups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES aftercare.cases (id),
        kind varchar(20) NOT NULL CHECK (kind IN ('PHONE', 'FACE_TO_FACE')),
        held_on date NOT NULL,
        period varchar(7) NOT NULL,
        contact_made boolean NOT NULL,
        situation_cipher text NOT NULL,
        hardship_cipher text,
        assistance_cipher text,
        drug_test varchar(20) NOT NULL CHECK (drug_test IN ('NEGATIVE', 'POSITIVE', 'REFUSED', 'NOT_TESTED')),
        recorded_by varchar(80) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX follow_ups_case_period_idx ON aftercare.follow_ups (case_id, kind, period)`);

    await q.query(`
      CREATE TABLE aftercare.drug_tests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_key char(64) NOT NULL,
        case_id uuid REFERENCES aftercare.cases (id),
        follow_up_id uuid REFERENCES aftercare.follow_ups (id),
        tested_on date NOT NULL,
        result varchar(20) NOT NULL CHECK (result IN ('NEGATIVE', 'POSITIVE', 'REFUSED')),
        source varchar(20) NOT NULL CHECK (source IN ('FOLLOW_UP', 'POLICE')),
        reported_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX drug_tests_person_key_idx ON aftercare.drug_tests (person_key)`);
    await q.query(`CREATE INDEX drug_tests_case_idx ON aftercare.drug_tests (case_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE aftercare.drug_tests`);
    await q.query(`DROP TABLE aftercare.follow_ups`);
    await q.query(`DROP INDEX aftercare.cases_notice_uq`);
    await q.query(`DROP INDEX aftercare.cases_town_status_idx`);
    await q.query(`
      ALTER TABLE aftercare.cases
        DROP CONSTRAINT cases_status_ck, DROP CONSTRAINT cases_closed_ck,
        DROP COLUMN notice_id, DROP COLUMN key_person, DROP COLUMN community_rehabilitation, DROP COLUMN contact_due,
        DROP COLUMN contact_card_issued_on, DROP COLUMN first_contact_on, DROP COLUMN enrolled_on, DROP COLUMN relapse_count,
        DROP COLUMN last_relapse_on, DROP COLUMN refused_tests, DROP COLUMN serious_breach_on, DROP COLUMN closed_on,
        DROP COLUMN closure_reason, DROP COLUMN updated_at, DROP COLUMN version`);
    await q.query(`DROP TABLE aftercare.release_notices`);
  }
}

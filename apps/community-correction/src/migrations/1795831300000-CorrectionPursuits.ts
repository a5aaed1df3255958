import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-24 pursuit requests, custody proposals (revocation / commitment) and residence disputes. */
export class CorrectionPursuits1795831300000 implements MigrationInterface {
  name = 'CorrectionPursuits1795831300000';

  async up(q: QueryRunner): Promise<void> {
    const audit = `recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1`;
    await q.query(`
      CREATE TABLE correction.pursuit_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        kind varchar(24) NOT NULL CHECK (kind IN ('ABSCONDED', 'SENTENCE_NOT_EXECUTED')),
        requested_on date NOT NULL,
        police_unit varchar(200) NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('REQUESTED', 'FOUND', 'RETURNED')),
        found_on date,
        returned_on date CHECK (returned_on IS NULL OR found_on IS NULL OR returned_on >= found_on),
        ${audit}
      )`);
    await q.query(`CREATE INDEX pursuit_requests_subject_idx ON correction.pursuit_requests (subject_id)`);
    await q.query(`CREATE UNIQUE INDEX pursuit_requests_one_open_idx ON correction.pursuit_requests (subject_id) WHERE status = 'REQUESTED'`);
    await q.query(`
      CREATE TABLE correction.custody_proposals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        kind varchar(12) NOT NULL CHECK (kind IN ('REVOCATION', 'COMMITMENT')),
        grounds_cipher text NOT NULL,
        sent_to varchar(200) NOT NULL,
        sent_on date NOT NULL,
        decision varchar(10) CHECK (decision IN ('GRANTED', 'REFUSED')),
        decided_on date CHECK (decided_on IS NULL OR decided_on >= sent_on),
        decision_document_no varchar(120),
        ${audit},
        CHECK ((decision IS NULL) = (decided_on IS NULL))
      )`);
    await q.query(`CREATE INDEX custody_proposals_subject_idx ON correction.custody_proposals (subject_id)`);
    await q.query(`
      CREATE TABLE correction.residence_disputes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        raised_on date NOT NULL,
        designating_authority varchar(200) NOT NULL,
        designated_town varchar(8),
        decision varchar(500),
        decided_on date CHECK (decided_on IS NULL OR decided_on >= raised_on),
        ${audit}
      )`);
    await q.query(`CREATE INDEX residence_disputes_subject_idx ON correction.residence_disputes (subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.residence_disputes`);
    await q.query(`DROP TABLE correction.custody_proposals`);
    await q.query(`DROP TABLE correction.pursuit_requests`);
  }
}

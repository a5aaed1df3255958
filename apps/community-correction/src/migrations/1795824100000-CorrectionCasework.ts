import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-14 investigation assessments and CC-16 procuratorate notices. */
export class CorrectionCasework1795824100000 implements MigrationInterface {
  name = 'CorrectionCasework1795824100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correction.investigations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_key char(64) NOT NULL,
        id_number_cipher text NOT NULL,
        masked_id_number varchar(32) NOT NULL,
        name varchar(100) NOT NULL,
        town varchar(8) NOT NULL,
        requester_agency_id varchar(120) NOT NULL,
        requester_agency_kind varchar(30) NOT NULL,
        requesting_document_no varchar(120) NOT NULL,
        proposed_sentence_type varchar(40) NOT NULL
          CHECK (proposed_sentence_type IN ('CONTROL', 'PROBATION', 'PAROLE', 'TEMPORARY_OUTSIDE_EXECUTION')),
        expedited boolean NOT NULL,
        offence varchar(500) NOT NULL,
        received_date date NOT NULL,
        original_due_date date NOT NULL,
        due_date date NOT NULL CHECK (due_date >= original_due_date),
        extension_reason varchar(1000),
        status varchar(12) NOT NULL CHECK (status IN ('PENDING', 'COMPLETED')),
        opinion varchar(12) CHECK (opinion IN ('SUITABLE', 'UNSUITABLE')),
        summary varchar(2000),
        report text,
        completed_on date,
        completed_at timestamptz(3),
        completed_by varchar(120),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'COMPLETED') = (opinion IS NOT NULL AND completed_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX investigations_town_created_idx ON correction.investigations (town, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX investigations_requester_idx ON correction.investigations (requester_agency_id)`);
    await q.query(`
      CREATE TABLE correction.procuratorate_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        agency_id varchar(120) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('SUGGESTION', 'CORRECTION_NOTICE')),
        document_no varchar(120) NOT NULL,
        issued_date date NOT NULL,
        content text NOT NULL,
        reply_due date NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('RECEIVED', 'REPLIED')),
        reply text,
        replied_on date,
        replied_by varchar(120),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK ((status = 'REPLIED') = (replied_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX procuratorate_notices_town_created_idx ON correction.procuratorate_notices (town, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX procuratorate_notices_subject_idx ON correction.procuratorate_notices (subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.procuratorate_notices`);
    await q.query(`DROP TABLE correction.investigations`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { createBusTables } from '@homeward/bus';
import { createIdempotencyTable } from '@homeward/platform';

export class CorrectionInit1795818467862 implements MigrationInterface {
  name = 'CorrectionInit1795818467862';

  async up(q: QueryRunner): Promise<void> {
    await createBusTables(q, 'correction');
    await createIdempotencyTable(q, 'correction');
    await q.query(`
      CREATE TABLE correction.subjects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_key char(64) NOT NULL,
        id_number_cipher text NOT NULL,
        masked_id_number varchar(32) NOT NULL,
        name varchar(100) NOT NULL,
        gender varchar(8) NOT NULL CHECK (gender IN ('MALE', 'FEMALE')),
        birth_date date NOT NULL,
        phone varchar(40),
        registered_address varchar(300),
        residence_address varchar(300),
        town varchar(8) NOT NULL,
        sentence_type varchar(40) NOT NULL
          CHECK (sentence_type IN ('CONTROL', 'PROBATION', 'PAROLE', 'TEMPORARY_OUTSIDE_EXECUTION')),
        judgment_document_no varchar(120) NOT NULL,
        judgment_effective_date date NOT NULL,
        correction_start_date date NOT NULL,
        correction_end_date date NOT NULL CHECK (correction_end_date >= correction_start_date),
        offence varchar(500) NOT NULL,
        deciding_authority varchar(200) NOT NULL,
        enrolled_by_agency varchar(120) NOT NULL,
        status varchar(20) NOT NULL CHECK (status IN ('PENDING_REPORT', 'ACTIVE', 'DISCHARGED', 'TERMINATED')),
        report_deadline date NOT NULL,
        documents_deadline date NOT NULL,
        reported_on date,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX subjects_person_key_idx ON correction.subjects (person_key)`);
    await q.query(`CREATE INDEX subjects_town_status_idx ON correction.subjects (town, status)`);
    await q.query(`CREATE INDEX subjects_town_created_idx ON correction.subjects (town, created_at DESC, id DESC)`);
    // CC-2: at most one open (pending or active) correction per person.
    await q.query(`CREATE UNIQUE INDEX subjects_one_open_per_person ON correction.subjects (person_key)
                   WHERE status IN ('PENDING_REPORT', 'ACTIVE')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.subjects`);
  }
}

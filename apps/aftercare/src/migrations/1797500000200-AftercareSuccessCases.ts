import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AC-6 success cases (成功戒毒典型): a dossier per case (title and summary encrypted: they may name
 * the person), its files (bytes in the archive storage, sealed; metadata here), and the Q4 reminder
 * sent per station and year (one `aftercare.success-cases.short` per station and year).
 */
export class AftercareSuccessCases1797500000200 implements MigrationInterface {
  name = 'AftercareSuccessCases1797500000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aftercare.success_cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        case_id uuid REFERENCES aftercare.cases (id),
        person_key char(64),
        title_cipher text NOT NULL,
        summary_cipher text NOT NULL,
        named_on date NOT NULL,
        named_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX success_cases_town_year_idx ON aftercare.success_cases (town, year)`);
    await q.query(`
      CREATE TABLE aftercare.success_case_files (
        id uuid PRIMARY KEY,
        success_case_id uuid NOT NULL REFERENCES aftercare.success_cases (id) ON DELETE CASCADE,
        town varchar(8) NOT NULL,
        kind varchar(12) NOT NULL CHECK (kind IN ('DOCUMENT', 'PICTURE')),
        title_cipher text NOT NULL,
        storage_key varchar(300) NOT NULL,
        content_type varchar(120) NOT NULL,
        size_bytes integer NOT NULL,
        sha256 char(64) NOT NULL,
        uploaded_by varchar(120) NOT NULL,
        uploaded_at timestamptz(3) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX success_case_files_case_idx ON aftercare.success_case_files (success_case_id)`);
    await q.query(`
      CREATE TABLE aftercare.success_case_reminders (
        town varchar(8) NOT NULL,
        year integer NOT NULL,
        subjects integer NOT NULL,
        success_cases integer NOT NULL,
        required integer NOT NULL,
        short_on date NOT NULL,
        met_on date,
        PRIMARY KEY (town, year)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE aftercare.success_case_reminders`);
    await q.query(`DROP TABLE aftercare.success_case_files`);
    await q.query(`DROP TABLE aftercare.success_cases`);
  }
}

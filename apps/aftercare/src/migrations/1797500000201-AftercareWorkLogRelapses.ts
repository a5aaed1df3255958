import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AC-7: the station's work log (工作日志; the note encrypted, it may name people) and the relapse
 * ledger (复吸台账: one row per relapse marked, AC-4), filled from the positive tests already on file
 * and, for relapses police reported without a test, from the case's last relapse.
 */
export class AftercareWorkLogRelapses1797500000201 implements MigrationInterface {
  name = 'AftercareWorkLogRelapses1797500000201';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aftercare.work_log_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        entry_date date NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('HOME_VISIT', 'PHONE_CALL', 'MEETING', 'TRAINING', 'PUBLICITY', 'COORDINATION', 'ASSISTANCE', 'OTHER')),
        note_cipher text NOT NULL,
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX work_log_entries_town_date_idx ON aftercare.work_log_entries (town, entry_date, id)`);
    await q.query(`
      CREATE TABLE aftercare.relapses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES aftercare.cases (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        relapsed_on date NOT NULL,
        source varchar(20) NOT NULL CHECK (source IN ('FOLLOW_UP_TEST', 'POLICE_TEST', 'POLICE_REPORT')),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX relapses_town_date_idx ON aftercare.relapses (town, relapsed_on)`);
    await q.query(`CREATE INDEX relapses_case_idx ON aftercare.relapses (case_id)`);
    await q.query(`
      INSERT INTO aftercare.relapses (case_id, person_key, town, relapsed_on, source)
      SELECT t.case_id, t.person_key, c.town, t.tested_on, CASE t.source WHEN 'POLICE' THEN 'POLICE_TEST' ELSE 'FOLLOW_UP_TEST' END
        FROM aftercare.drug_tests t JOIN aftercare.cases c ON c.id = t.case_id
       WHERE t.result = 'POSITIVE' AND c.town IS NOT NULL`);
    await q.query(`
      INSERT INTO aftercare.relapses (case_id, person_key, town, relapsed_on, source)
      SELECT c.id, c.person_key, c.town, c.last_relapse_on, 'POLICE_REPORT' FROM aftercare.cases c
       WHERE c.last_relapse_on IS NOT NULL AND c.town IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM aftercare.relapses r WHERE r.case_id = c.id AND r.relapsed_on = c.last_relapse_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE aftercare.relapses`);
    await q.query(`DROP TABLE aftercare.work_log_entries`);
  }
}

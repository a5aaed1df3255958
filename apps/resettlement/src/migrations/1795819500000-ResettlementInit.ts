import { MigrationInterface, QueryRunner } from 'typeorm';
import { createBusTables } from '@homeward/bus';
import { createIdempotencyTable } from '@homeward/platform';

export class ResettlementInit1795819500000 implements MigrationInterface {
  name = 'ResettlementInit1795819500000';

  async up(q: QueryRunner): Promise<void> {
    await createBusTables(q, 'resettlement');
    await createIdempotencyTable(q, 'resettlement');
    await q.query(`
      CREATE TABLE resettlement.assistance_cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        source varchar(30) NOT NULL CHECK (source IN ('CORRECTION_DISCHARGE', 'PRISON_RELEASE')),
        source_record_id varchar(80) NOT NULL,
        start_date date NOT NULL,
        end_date date NOT NULL CHECK (end_date >= start_date),
        status varchar(20) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (source, source_record_id)
      )`);
    await q.query(`CREATE INDEX assistance_cases_person_key_idx ON resettlement.assistance_cases (person_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resettlement.assistance_cases`);
  }
}

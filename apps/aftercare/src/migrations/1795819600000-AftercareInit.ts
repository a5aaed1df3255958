import { MigrationInterface, QueryRunner } from 'typeorm';
import { createBusTables } from '@homeward/bus';
import { createIdempotencyTable } from '@homeward/platform';

export class AftercareInit1795819600000 implements MigrationInterface {
  name = 'AftercareInit1795819600000';

  async up(q: QueryRunner): Promise<void> {
    await createBusTables(q, 'aftercare');
    await createIdempotencyTable(q, 'aftercare');
    await q.query(`
      CREATE TABLE aftercare.cases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        centre varchar(200) NOT NULL,
        release_date date NOT NULL,
        status varchar(20) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX cases_person_key_idx ON aftercare.cases (person_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE aftercare.cases`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-25: alerts keeps the organised-crime flag of a person (from correction's event) to raise every alert about them at least ORANGE. */
export class AlertsPersonFlags1795831500000 implements MigrationInterface {
  name = 'AlertsPersonFlags1795831500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts.person_flags (
        person_key char(64) PRIMARY KEY,
        organised_crime boolean NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts.person_flags`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { createBusTables } from '@homeward/bus';

export class AlertsInit1795818900000 implements MigrationInterface {
  name = 'AlertsInit1795818900000';

  async up(q: QueryRunner): Promise<void> {
    await createBusTables(q, 'alerts');
    await q.query(`
      CREATE TABLE alerts.alerts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rule varchar(60) NOT NULL,
        colour varchar(10) NOT NULL CHECK (colour IN ('RED', 'ORANGE', 'YELLOW', 'BLUE')),
        state varchar(16) NOT NULL CHECK (state IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED', 'ESCALATED')),
        person_key char(64),
        town varchar(8),
        record_type varchar(60) NOT NULL,
        record_id varchar(80) NOT NULL,
        raised_at timestamptz(3) NOT NULL,
        due_by timestamptz(3),
        acknowledged_at timestamptz(3),
        acknowledged_by varchar(120),
        resolved_at timestamptz(3),
        resolved_by varchar(120),
        note text,
        details jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1
      )`);
    // AL-1: at most one alert that is not resolved per (rule, record).
    await q.query(`CREATE UNIQUE INDEX alerts_one_open_per_rule_record ON alerts.alerts (rule, record_type, record_id)
                   WHERE state <> 'RESOLVED'`);
    await q.query(`CREATE INDEX alerts_town_state_idx ON alerts.alerts (town, state, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX alerts_person_key_idx ON alerts.alerts (person_key)`);
    await q.query(`
      CREATE TABLE alerts.watches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        rule varchar(60) NOT NULL,
        record_type varchar(60) NOT NULL,
        record_id varchar(80) NOT NULL,
        person_key char(64),
        town varchar(8),
        due_at timestamptz(3) NOT NULL,
        satisfied_at timestamptz(3),
        fired_at timestamptz(3),
        details jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (rule, record_type, record_id)
      )`);
    await q.query(`CREATE INDEX watches_pending_due_idx ON alerts.watches (due_at)
                   WHERE satisfied_at IS NULL AND fired_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts.watches`);
    await q.query(`DROP TABLE alerts.alerts`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11 item 1: AL-6 the duty roster (who is on duty, per day, for the city command centre and
 * each town) and AL-1 escalation (each step an alert went up, to whom; the level and the time of
 * the next step on the alert so the sweep finds due escalations from PostgreSQL alone).
 */
export class AlertsDutyRosterEscalation1797400000000 implements MigrationInterface {
  name = 'AlertsDutyRosterEscalation1797400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts.duty_roster (
        scope varchar(8) NOT NULL,
        duty_date date NOT NULL,
        duty_role varchar(16) NOT NULL CHECK (duty_role IN ('DUTY_OFFICER', 'BUREAU_HEAD')),
        staff varchar(120) NOT NULL,
        set_by varchar(120) NOT NULL,
        set_at timestamptz(3) NOT NULL,
        PRIMARY KEY (scope, duty_date, duty_role),
        CHECK (duty_role = 'DUTY_OFFICER' OR scope = 'CITY')
      )`);
    await q.query(`ALTER TABLE alerts.alerts ADD COLUMN escalation_level smallint NOT NULL DEFAULT 0, ADD COLUMN escalation_due_by timestamptz(3)`);
    await q.query(`CREATE INDEX alerts_escalation_open_idx ON alerts.alerts (due_by) WHERE state = 'OPEN' AND escalation_level = 0`);
    await q.query(`CREATE INDEX alerts_escalation_again_idx ON alerts.alerts (escalation_due_by) WHERE state = 'ESCALATED' AND escalation_level = 1`);
    await q.query(`
      CREATE TABLE alerts.alert_escalations (
        alert_id uuid NOT NULL REFERENCES alerts.alerts (id),
        level smallint NOT NULL CHECK (level IN (1, 2)),
        escalated_at timestamptz(3) NOT NULL,
        duty_date date NOT NULL,
        duty_role varchar(16) NOT NULL,
        on_duty varchar(120),
        town_on_duty varchar(120),
        PRIMARY KEY (alert_id, level)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts.alert_escalations`);
    await q.query(`ALTER TABLE alerts.alerts DROP COLUMN escalation_due_by, DROP COLUMN escalation_level`);
    await q.query(`DROP TABLE alerts.duty_roster`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';
import { createAppAccessSchema } from '@homeward/platform';

/**
 * Issue 12 items 1–3 (CC-21): the subject's app (在矫通) and the team's app (协矫通).
 * - `app_access`: accounts and one-time activation codes, read by identity (libs/platform app-access).
 * - A team member's account (`team_members.account_id`): the subjects a TEAM_MEMBER reaches are
 *   the teams it is an open member of; the rows are kept when a membership ends (history).
 * - APP check-ins keep the device's face-match score; one below the threshold is kept apart as a
 *   failed attempt (it meets no obligation) for the officer to see.
 * - Hours the subject reports itself wait for an officer (PENDING → CONFIRMED, which logs them as
 *   CC-9 hours, or REJECTED); messages from the office; team visits and observations.
 * Notes, places, observations and messages are free text that may name people: encrypted.
 */
export class CorrectionOutwardApps1797600000200 implements MigrationInterface {
  name = 'CorrectionOutwardApps1797600000200';

  async up(q: QueryRunner): Promise<void> {
    await createAppAccessSchema(q);
    await q.query(`ALTER TABLE correction.team_members ADD COLUMN account_id uuid`);
    await q.query(`CREATE INDEX team_members_account_idx ON correction.team_members (account_id) WHERE account_id IS NOT NULL`);
    await q.query(`ALTER TABLE correction.check_ins ADD COLUMN face_match_score double precision`);
    await q.query(`ALTER TABLE correction.assistance_needs ADD COLUMN requested_by_subject boolean NOT NULL DEFAULT false`);
    await q.query(`
      CREATE TABLE correction.app_check_in_failures (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        at timestamptz(3) NOT NULL,
        face_match_score double precision NOT NULL,
        threshold double precision NOT NULL,
        lat double precision NOT NULL,
        lng double precision NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX app_check_in_failures_town_idx ON correction.app_check_in_failures (town, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX app_check_in_failures_subject_idx ON correction.app_check_in_failures (subject_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE correction.self_reported_hours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('EDUCATION', 'COMMUNITY_SERVICE')),
        hours numeric(5,2) NOT NULL CHECK (hours > 0 AND hours <= 24),
        on_date date NOT NULL,
        note_cipher text NOT NULL,
        status varchar(10) NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED')),
        decided_by varchar(120),
        decided_at timestamptz(3),
        reject_reason varchar(1000),
        activity_hours_id uuid REFERENCES correction.activity_hours (id),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL
      )`);
    await q.query(`CREATE INDEX self_reported_hours_pending_idx ON correction.self_reported_hours (town, created_at, id) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX self_reported_hours_subject_idx ON correction.self_reported_hours (subject_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE correction.subject_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        body_cipher text NOT NULL,
        sent_by varchar(120) NOT NULL,
        sent_at timestamptz(3) NOT NULL,
        read_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX subject_messages_subject_idx ON correction.subject_messages (subject_id, sent_at DESC)`);
    await q.query(`
      CREATE TABLE correction.team_visits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        team_member_id uuid NOT NULL REFERENCES correction.team_members (id),
        account_id uuid NOT NULL,
        kind varchar(12) NOT NULL CHECK (kind IN ('VISIT', 'OBSERVATION')),
        at timestamptz(3) NOT NULL,
        place_cipher text NOT NULL,
        observation_cipher text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX team_visits_town_idx ON correction.team_visits (town, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX team_visits_subject_idx ON correction.team_visits (subject_id, at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE correction.team_visits, correction.subject_messages, correction.self_reported_hours, correction.app_check_in_failures`);
    await q.query(`ALTER TABLE correction.assistance_needs DROP COLUMN requested_by_subject`);
    await q.query(`ALTER TABLE correction.check_ins DROP COLUMN face_match_score`);
    await q.query(`DROP INDEX correction.team_members_account_idx`);
    await q.query(`ALTER TABLE correction.team_members DROP COLUMN account_id`);
    await q.query(`DROP SCHEMA app_access CASCADE`);
  }
}

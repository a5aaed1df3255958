import { MigrationInterface, QueryRunner } from 'typeorm';

/** CC-8 levels (history), CC-9 check-ins and hours, CC-10 key-person determinations (versions), CC-11 sanctions. */
export class CorrectionSupervision1795822000000 implements MigrationInterface {
  name = 'CorrectionSupervision1795822000000';

  async up(q: QueryRunner): Promise<void> {
    // CC-8: every level decision is a new row; the current level is the latest.
    await q.query(`
      CREATE TABLE correction.supervision_levels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        level varchar(10) NOT NULL CHECK (level IN ('STRICT', 'ORDINARY', 'LENIENT')),
        reason varchar(500) NOT NULL,
        high_risk boolean NOT NULL DEFAULT false,
        effective_on date NOT NULL,
        decided_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX supervision_levels_subject_idx ON correction.supervision_levels (subject_id, created_at DESC)`);

    // CC-9 check-ins on four channels; APP carries face match and location.
    await q.query(`
      CREATE TABLE correction.check_ins (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        channel varchar(20) NOT NULL CHECK (channel IN ('FACE_TO_FACE', 'PHONE_VOICE', 'APP', 'VIDEO')),
        at timestamptz(3) NOT NULL,
        on_date date NOT NULL,
        face_match boolean,
        lat double precision,
        lng double precision,
        note varchar(1000) NOT NULL DEFAULT '',
        due_on date NOT NULL,
        days_late integer NOT NULL DEFAULT 0 CHECK (days_late >= 0),
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (channel <> 'APP' OR (face_match IS NOT NULL AND lat IS NOT NULL AND lng IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX check_ins_subject_on_idx ON correction.check_ins (subject_id, on_date DESC, id DESC)`);

    // CC-9 education (教育学习) and community service (公益活动) hours.
    await q.query(`
      CREATE TABLE correction.activity_hours (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        kind varchar(20) NOT NULL CHECK (kind IN ('EDUCATION', 'COMMUNITY_SERVICE')),
        hours numeric(5, 2) NOT NULL CHECK (hours > 0 AND hours <= 24),
        on_date date NOT NULL,
        note varchar(1000) NOT NULL DEFAULT '',
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX activity_hours_subject_idx ON correction.activity_hours (subject_id, on_date)`);

    // CC-11 sanctions recorded by an officer; improvements judged by an officer; threshold notices sent.
    await q.query(`
      CREATE TABLE correction.sanctions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        kind varchar(30) NOT NULL CHECK (kind IN ('ADMONITION', 'WARNING', 'REVOCATION_PROPOSAL')),
        decided_on date NOT NULL,
        reason varchar(1000) NOT NULL,
        decided_by varchar(120) NOT NULL,
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sanctions_subject_idx ON correction.sanctions (subject_id, decided_on)`);
    await q.query(`
      CREATE TABLE correction.improvements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        since date NOT NULL,
        note varchar(1000) NOT NULL,
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX improvements_subject_idx ON correction.improvements (subject_id, since DESC)`);
    await q.query(`
      CREATE TABLE correction.sanction_threshold_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        kind varchar(30) NOT NULL,
        reason varchar(500) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX sanction_threshold_notices_subject_idx ON correction.sanction_threshold_notices (subject_id, created_at DESC)`);

    // CC-10 monthly key-person determination per town: versions, never overwritten.
    await q.query(`
      CREATE TABLE correction.key_person_determinations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        month char(7) NOT NULL CHECK (month ~ '^\\d{4}-\\d{2}$'),
        version integer NOT NULL CHECK (version >= 1),
        note varchar(1000) NOT NULL DEFAULT '',
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (town, month, version)
      )`);
    await q.query(`
      CREATE TABLE correction.key_person_entries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        determination_id uuid NOT NULL REFERENCES correction.key_person_determinations (id),
        subject_id uuid NOT NULL REFERENCES correction.subjects (id),
        reasons text[] NOT NULL,
        flag_level varchar(8) NOT NULL CHECK (flag_level IN ('CITY', 'TOWN')),
        transformation_progress varchar(20) NOT NULL
          CHECK (transformation_progress IN ('NOT_STARTED', 'IN_PROGRESS', 'TRANSFORMED')),
        released boolean NOT NULL DEFAULT false,
        UNIQUE (determination_id, subject_id)
      )`);
    await q.query(`CREATE INDEX key_person_entries_subject_idx ON correction.key_person_entries (subject_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'key_person_entries',
      'key_person_determinations',
      'sanction_threshold_notices',
      'improvements',
      'sanctions',
      'activity_hours',
      'check_ins',
      'supervision_levels',
    ]) {
      await q.query(`DROP TABLE correction.${t}`);
    }
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * RS-10 video-visit terminals and visits: one terminal holds one CONFIRMED visit at a time, kept by
 * an exclusion constraint (a single-point range of the terminal's number `=` and the visit's time
 * range `&&`; range GiST needs no extension). RS-11 bases, placements and the sunshine fund, whose
 * balance has a CHECK (≥ 0) and is changed only under a row lock.
 */
export class ResettlementVisitsAndFund1797000200000 implements MigrationInterface {
  name = 'ResettlementVisitsAndFund1797000200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resettlement.visit_terminals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        town varchar(8) NOT NULL,
        name varchar(120) NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (town, name)
      )`);
    await q.query(`
      CREATE TABLE resettlement.video_visits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        origin varchar(10) NOT NULL CHECK (origin IN ('FAMILY', 'PRISON')),
        prison_agency varchar(120),
        prison_name_cipher text,
        prisoner_no_cipher text NOT NULL,
        prisoner_no_index char(64) NOT NULL,
        person_key char(64),
        family_contact_cipher text,
        starts_at timestamptz(3) NOT NULL,
        ends_at timestamptz(3) NOT NULL CHECK (ends_at > starts_at),
        status varchar(12) NOT NULL CHECK (status IN ('REQUESTED', 'CONFIRMED', 'COMPLETED', 'FAILED', 'CANCELLED')),
        terminal_id uuid REFERENCES resettlement.visit_terminals (id),
        terminal_seq bigint,
        outcome_cipher text,
        created_by varchar(80) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        version integer NOT NULL DEFAULT 1,
        CHECK (status = 'REQUESTED' OR status = 'CANCELLED' OR terminal_id IS NOT NULL),
        CHECK ((terminal_id IS NULL) = (terminal_seq IS NULL)),
        CONSTRAINT video_visits_one_per_terminal EXCLUDE USING gist (
          int8range(terminal_seq, terminal_seq, '[]') WITH =,
          tstzrange(starts_at, ends_at, '[)') WITH &&
        ) WHERE (status = 'CONFIRMED')
      )`);
    await q.query(`CREATE INDEX video_visits_town_start_idx ON resettlement.video_visits (town, starts_at)`);
    await q.query(`CREATE INDEX video_visits_prison_idx ON resettlement.video_visits (prison_agency, status)`);
    await q.query(`
      CREATE TABLE resettlement.bases (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        town varchar(8) NOT NULL,
        name varchar(200) NOT NULL,
        kind varchar(20) NOT NULL CHECK (kind IN ('TRANSITIONAL', 'SELF_RUN', 'HOST_RUN')),
        capacity integer NOT NULL CHECK (capacity > 0),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (town, name)
      )`);
    await q.query(`
      CREATE TABLE resettlement.base_placements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        base_id uuid NOT NULL REFERENCES resettlement.bases (id),
        case_id uuid NOT NULL REFERENCES resettlement.assistance_cases (id),
        person_key char(64) NOT NULL,
        started_on date NOT NULL,
        ended_on date CHECK (ended_on IS NULL OR ended_on >= started_on),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX base_placements_open_uq ON resettlement.base_placements (case_id) WHERE ended_on IS NULL`);
    await q.query(`CREATE INDEX base_placements_base_idx ON resettlement.base_placements (base_id) WHERE ended_on IS NULL`);
    await q.query(`
      CREATE TABLE resettlement.funds (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(200) NOT NULL UNIQUE,
        town varchar(8),
        balance_fen bigint NOT NULL DEFAULT 0 CONSTRAINT funds_balance_never_negative CHECK (balance_fen >= 0),
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE resettlement.fund_movements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        fund_id uuid NOT NULL REFERENCES resettlement.funds (id),
        kind varchar(10) NOT NULL CHECK (kind IN ('DONATION', 'GRANT')),
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        balance_after_fen bigint NOT NULL CHECK (balance_after_fen >= 0),
        counterparty_cipher text NOT NULL,
        purpose_cipher text NOT NULL,
        person_key char(64),
        town varchar(8),
        recorded_by varchar(80) NOT NULL,
        recorded_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX fund_movements_fund_idx ON resettlement.fund_movements (fund_id, recorded_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['fund_movements', 'funds', 'base_placements', 'bases', 'video_visits', 'visit_terminals']) await q.query(`DROP TABLE resettlement.${t}`);
  }
}

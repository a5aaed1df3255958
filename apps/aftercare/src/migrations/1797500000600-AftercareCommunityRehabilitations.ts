import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AC-5: the community rehabilitation periods (社区康复, at most 36 months, cfg) of an aftercare case:
 * the decision (start, document number, months), the planned end and the actual end with its reason.
 * At most one open period per case.
 */
export class AftercareCommunityRehabilitations1797500000600 implements MigrationInterface {
  name = 'AftercareCommunityRehabilitations1797500000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE aftercare.community_rehabilitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_id uuid NOT NULL REFERENCES aftercare.cases (id),
        person_key char(64) NOT NULL,
        town varchar(8) NOT NULL,
        start_date date NOT NULL,
        decision_no varchar(100) NOT NULL,
        months int NOT NULL CHECK (months BETWEEN 1 AND 120),
        planned_end date NOT NULL,
        ended_on date,
        end_reason varchar(20) CHECK (end_reason IN ('COMPLETED', 'RELAPSED', 'MOVED', 'DIED', 'DETAINED')),
        recorded_by varchar(120) NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((ended_on IS NULL) = (end_reason IS NULL)),
        CHECK (ended_on IS NULL OR ended_on >= start_date)
      )`);
    await q.query(`CREATE UNIQUE INDEX community_rehabilitations_one_open_idx ON aftercare.community_rehabilitations (case_id) WHERE ended_on IS NULL`);
    await q.query(`CREATE INDEX community_rehabilitations_case_idx ON aftercare.community_rehabilitations (case_id, start_date)`);
    await q.query(`CREATE INDEX community_rehabilitations_town_end_idx ON aftercare.community_rehabilitations (town, planned_end) WHERE ended_on IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE aftercare.community_rehabilitations`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11 item 6: the town ranking (考评排名). The indicator snapshots the workstreams publish per
 * closed period (one header per workstream and period, the latest by `published_at` kept, and its
 * values per town and indicator), and the ranking history (stored rankings, each with the weights and
 * bottom N it was computed with and its rows).
 */
export class AlertsTownRanking1797500000401 implements MigrationInterface {
  name = 'AlertsTownRanking1797500000401';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts.indicator_snapshots (
        workstream varchar(16) NOT NULL,
        period varchar(10) NOT NULL,
        period_kind varchar(8) NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        published_at timestamptz(3) NOT NULL,
        event_id varchar(64) NOT NULL,
        PRIMARY KEY (workstream, period)
      )`);
    await q.query(`
      CREATE TABLE alerts.indicator_snapshot_values (
        workstream varchar(16) NOT NULL,
        period varchar(10) NOT NULL,
        town varchar(8) NOT NULL,
        code varchar(24) NOT NULL,
        numerator double precision NOT NULL CHECK (numerator >= 0),
        denominator double precision NOT NULL CHECK (denominator >= 0),
        PRIMARY KEY (workstream, period, town, code),
        FOREIGN KEY (workstream, period) REFERENCES alerts.indicator_snapshots (workstream, period) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE alerts.town_rankings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        period varchar(10) NOT NULL,
        period_kind varchar(8) NOT NULL,
        weights_year int NOT NULL,
        weights jsonb NOT NULL,
        bottom_n int NOT NULL,
        workstreams jsonb NOT NULL,
        rows jsonb NOT NULL,
        computed_at timestamptz(3) NOT NULL,
        computed_by varchar(120) NOT NULL
      )`);
    await q.query(`CREATE INDEX town_rankings_period_idx ON alerts.town_rankings (period, computed_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts.town_rankings`);
    await q.query(`DROP TABLE alerts.indicator_snapshot_values`);
    await q.query(`DROP TABLE alerts.indicator_snapshots`);
  }
}

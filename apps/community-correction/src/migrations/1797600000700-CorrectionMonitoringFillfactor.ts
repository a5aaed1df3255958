import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 S2: every batch of location fixes updates the last fix (and the silence and breach marks) of
 * each monitoring it touches. None of those columns is indexed, so the update can be HOT — a new row
 * version on the same page, no index entries — when the page has room: `fillfactor = 70` leaves it from
 * the first update on. With PostgreSQL's default (100) a full page has none until a row has moved off it
 * or its dead versions are pruned: at 700,000 subjects 97 % of the updates were HOT without it, 100 %
 * with it (the rest moved the row and wrote an entry into each of the table's four indexes). Pages
 * written from now on keep 30 % free; pages already full gain it as their rows move (or at a VACUUM
 * FULL, which this migration does not take). bench/README.md "Location fixes at 700,000 subjects".
 */
export class CorrectionMonitoringFillfactor1797600000700 implements MigrationInterface {
  name = 'CorrectionMonitoringFillfactor1797600000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE correction.monitorings SET (fillfactor = 70)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE correction.monitorings RESET (fillfactor)`);
  }
}

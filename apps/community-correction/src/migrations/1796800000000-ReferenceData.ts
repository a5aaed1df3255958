import { MigrationInterface, QueryRunner } from 'typeorm';
import { createReferenceSchema } from '@homeward/platform';

/**
 * Issue 7 item 10: reference data as data. Schema `reference`, owned by community-correction (its
 * migrations make it; its role `hw_correction` may SELECT, INSERT and UPDATE — never DELETE: a
 * change closes the current row (`superseded_at`) and adds the new one, so history is kept). Every
 * other app role may read it (SELECT through the group role `homeward_app`).
 *
 * - `holiday_tables`: one current table per year (status PROVISIONAL / OFFICIAL), valid from
 *   1 January to 31 December of its year.
 * - `datasets`: the current TOWNS, CORRECTION_CENTRES and COUNTY_BOUNDARY (content jsonb, entries
 *   with their own validFrom / validTo), with the dates the dataset applies from / to.
 */
export class ReferenceData1796800000000 implements MigrationInterface {
  name = 'ReferenceData1796800000000';

  async up(q: QueryRunner): Promise<void> {
    await createReferenceSchema(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS reference CASCADE`);
  }
}

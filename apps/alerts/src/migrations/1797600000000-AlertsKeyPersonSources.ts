import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * AL-4: who says a person is a key person, per source. Correction's monthly determination (一月一认定) is
 * the town's whole list for the month, so a subject it no longer lists is no longer a key person of
 * correction — without touching what resettlement said of the same person. `person_flags.key_person`
 * stays the read model: true while any source says so. The flags alerts held so far came from either
 * source without saying which: they are kept as source `earlier` until a source speaks of that person.
 */
export class AlertsKeyPersonSources1797600000000 implements MigrationInterface {
  name = 'AlertsKeyPersonSources1797600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts.key_person_sources (
        person_key char(64) NOT NULL,
        source varchar(32) NOT NULL CHECK (source IN ('correction', 'resettlement', 'earlier')),
        town varchar(16),
        key_person boolean NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (person_key, source)
      )`);
    await q.query(`CREATE INDEX key_person_sources_by_town ON alerts.key_person_sources (source, town) WHERE key_person`);
    await q.query(`INSERT INTO alerts.key_person_sources (person_key, source, town, key_person) SELECT person_key, 'earlier', NULL, true FROM alerts.person_flags WHERE key_person`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alerts.key_person_sources`);
  }
}

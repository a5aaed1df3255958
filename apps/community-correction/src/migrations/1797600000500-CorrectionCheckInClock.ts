import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13 S5: what `dueToday` / `overdue` need of a subject's next check-in (CC-8/CC-9), kept on the
 * subject so the lists are an index range instead of computing the next check-in of every active
 * subject of the towns:
 *
 * - `last_check_in_on`: the latest check-in's date, kept by statement-level triggers on
 *   correction.check_ins (insert: the later of the old and the new; update/delete: recomputed for the
 *   subjects touched);
 * - `level_now`: the supervision level in force (the latest decision, STRICT before any — CC-8), kept
 *   by a trigger on correction.supervision_levels with the order the old query used;
 * - `check_in_base`: generated — the later of the last check-in and the start of supervision. The
 *   next check-in is `check_in_base + interval(level_now)`, the intervals being configuration
 *   (CHECKIN_INTERVAL_DAYS_*), so the lists ask, per level, for `check_in_base = today - interval`
 *   (due today) or `< today - interval` (overdue), one index-only range of the covering
 *   `subjects_check_in_due_idx` per level.
 *
 * The entity does not map these columns: the service never writes them, only the triggers do.
 * Also: partial indexes on open cases for the caseload's keyset order, town-scoped and city-wide, and
 * on the location orders in force by (town, end date) for the due list's MONITORING_END branch (the
 * record's town moves with the case, CC-13, so it is the subject's).
 */
export class CorrectionCheckInClock1797600000500 implements MigrationInterface {
  name = 'CorrectionCheckInClock1797600000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE correction.subjects ADD COLUMN last_check_in_on date`);
    await q.query(`ALTER TABLE correction.subjects ADD COLUMN level_now varchar(16) NOT NULL DEFAULT 'STRICT'`);
    await q.query(`
      UPDATE correction.subjects s SET last_check_in_on = c.last
        FROM (SELECT subject_id, max(on_date) AS last FROM correction.check_ins GROUP BY subject_id) c
       WHERE c.subject_id = s.id`);
    await q.query(`
      UPDATE correction.subjects s SET level_now = l.level
        FROM (SELECT DISTINCT ON (subject_id) subject_id, level FROM correction.supervision_levels
               ORDER BY subject_id, created_at DESC, id DESC) l
       WHERE l.subject_id = s.id`);
    await q.query(`
      ALTER TABLE correction.subjects ADD COLUMN check_in_base date GENERATED ALWAYS AS (
        GREATEST(COALESCE(last_check_in_on, COALESCE(activated_on, reported_on, correction_start_date)),
                 COALESCE(activated_on, reported_on, correction_start_date))) STORED`);

    await q.query(`
      CREATE FUNCTION correction.check_ins_added() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE correction.subjects s SET last_check_in_on = GREATEST(s.last_check_in_on, n.last)
          FROM (SELECT subject_id, max(on_date) AS last FROM added GROUP BY subject_id) n
         WHERE s.id = n.subject_id AND s.last_check_in_on IS DISTINCT FROM GREATEST(s.last_check_in_on, n.last);
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE FUNCTION correction.check_ins_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE correction.subjects s
           SET last_check_in_on = (SELECT max(c.on_date) FROM correction.check_ins c WHERE c.subject_id = s.id)
         WHERE s.id IN (SELECT subject_id FROM gone);
        IF TG_OP = 'UPDATE' THEN
          UPDATE correction.subjects s
             SET last_check_in_on = (SELECT max(c.on_date) FROM correction.check_ins c WHERE c.subject_id = s.id)
           WHERE s.id IN (SELECT subject_id FROM kept);
        END IF;
        RETURN NULL;
      END $fn$`);
    await q.query(`
      CREATE TRIGGER check_ins_clock_insert AFTER INSERT ON correction.check_ins
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION correction.check_ins_added()`);
    await q.query(`
      CREATE TRIGGER check_ins_clock_update AFTER UPDATE ON correction.check_ins
        REFERENCING OLD TABLE AS gone NEW TABLE AS kept FOR EACH STATEMENT EXECUTE FUNCTION correction.check_ins_changed()`);
    await q.query(`
      CREATE TRIGGER check_ins_clock_delete AFTER DELETE ON correction.check_ins
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION correction.check_ins_changed()`);

    await q.query(`
      CREATE FUNCTION correction.supervision_levels_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE correction.subjects s
           SET level_now = COALESCE((SELECT l.level FROM correction.supervision_levels l WHERE l.subject_id = s.id
                                      ORDER BY l.created_at DESC, l.id DESC LIMIT 1), 'STRICT')
         WHERE s.id IN (SELECT subject_id FROM touched);
        RETURN NULL;
      END $fn$`);
    for (const op of ['INSERT', 'DELETE']) {
      const table = op === 'INSERT' ? 'NEW TABLE AS touched' : 'OLD TABLE AS touched';
      await q.query(`
        CREATE TRIGGER supervision_levels_now_${op.toLowerCase()} AFTER ${op} ON correction.supervision_levels
          REFERENCING ${table} FOR EACH STATEMENT EXECUTE FUNCTION correction.supervision_levels_changed()`);
    }
    await q.query(`
      CREATE TRIGGER supervision_levels_now_update AFTER UPDATE ON correction.supervision_levels
        REFERENCING NEW TABLE AS touched FOR EACH STATEMENT EXECUTE FUNCTION correction.supervision_levels_changed()`);

    // Covering: the due list's CHECK_IN branches are index-only ranges (no heap page per subject due).
    await q.query(`
      CREATE INDEX subjects_check_in_due_idx ON correction.subjects (town, level_now, check_in_base)
       INCLUDE (id, person_key, name_cipher) WHERE status = 'ACTIVE'`);
    await q.query(`
      CREATE INDEX subjects_open_town_page_idx ON correction.subjects (town, created_at DESC, id DESC)
       WHERE status IN ('PENDING_REPORT', 'ACTIVE')`);
    await q.query(`
      CREATE INDEX subjects_open_page_idx ON correction.subjects (created_at DESC, id DESC)
       WHERE status IN ('PENDING_REPORT', 'ACTIVE')`);
    await q.query(`CREATE INDEX subjects_report_in_due_idx ON correction.subjects (town, report_deadline) WHERE status = 'PENDING_REPORT'`);
    await q.query(`CREATE INDEX monitorings_active_end_idx ON correction.monitorings (town, end_date) WHERE status = 'ACTIVE'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const idx of ['monitorings_active_end_idx', 'subjects_report_in_due_idx', 'subjects_open_page_idx', 'subjects_open_town_page_idx', 'subjects_check_in_due_idx']) {
      await q.query(`DROP INDEX correction.${idx}`);
    }
    for (const t of ['check_ins_clock_insert', 'check_ins_clock_update', 'check_ins_clock_delete']) await q.query(`DROP TRIGGER ${t} ON correction.check_ins`);
    for (const t of ['supervision_levels_now_insert', 'supervision_levels_now_delete', 'supervision_levels_now_update']) {
      await q.query(`DROP TRIGGER ${t} ON correction.supervision_levels`);
    }
    await q.query(`DROP FUNCTION correction.check_ins_added()`);
    await q.query(`DROP FUNCTION correction.check_ins_changed()`);
    await q.query(`DROP FUNCTION correction.supervision_levels_changed()`);
    await q.query(`ALTER TABLE correction.subjects DROP COLUMN check_in_base, DROP COLUMN level_now, DROP COLUMN last_check_in_on`);
  }
}

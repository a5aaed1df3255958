import type { EntityManager } from 'typeorm';
import type { HolidayTableStatus, LocalDate } from '@homeward/domain';

export type DatasetKind = 'TOWNS' | 'CORRECTION_CENTRES' | 'COUNTY_BOUNDARY';

export interface HolidayTableRow {
  id: number;
  year: number;
  status: HolidayTableStatus;
  holidays: LocalDate[];
  workingWeekends: LocalDate[];
  source: string | null;
  validFrom: LocalDate;
  validTo: LocalDate;
  recordedAt: Date;
  recordedBy: string;
  reason: string | null;
  supersededAt: Date | null;
}

export interface DatasetRow {
  id: number;
  kind: DatasetKind;
  content: unknown;
  validFrom: LocalDate;
  validTo: LocalDate | null;
  recordedAt: Date;
  recordedBy: string;
  reason: string | null;
  supersededAt: Date | null;
}

const HOLIDAY_COLUMNS = `id::int AS id, year, status, holidays, working_weekends AS "workingWeekends", source,
  to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo",
  recorded_at AS "recordedAt", recorded_by AS "recordedBy", reason, superseded_at AS "supersededAt"`;
const DATASET_COLUMNS = `id::int AS id, kind, content, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo",
  recorded_at AS "recordedAt", recorded_by AS "recordedBy", reason, superseded_at AS "supersededAt"`;

export interface NewHolidayTable {
  year: number;
  status: HolidayTableStatus;
  holidays: LocalDate[];
  workingWeekends: LocalDate[];
  source: string | null;
  recordedAt: Date;
  recordedBy: string;
  reason: string | null;
}

export interface NewDataset {
  kind: DatasetKind;
  content: unknown;
  validFrom: LocalDate;
  validTo: LocalDate | null;
  recordedAt: Date;
  recordedBy: string;
  reason: string | null;
}

/**
 * The `reference` schema's SQL (issue 7 item 10). A change never updates a row's content: it closes
 * the current row (`superseded_at`) and inserts the new one, so history is kept. Works on the app's
 * manager (role hw_correction) and on the migrator's (the CLI seed).
 */
export const ReferenceRepository = {
  /** False in a database whose correction migrations have not made the schema (other apps' tests). */
  async present(m: EntityManager): Promise<boolean> {
    const [row] = await m.query(`SELECT to_regclass('reference.holiday_tables') IS NOT NULL AS present`);
    return row.present === true;
  },

  async currentHolidayTables(m: EntityManager): Promise<HolidayTableRow[]> {
    return m.query(`SELECT ${HOLIDAY_COLUMNS} FROM reference.holiday_tables WHERE superseded_at IS NULL ORDER BY year`);
  },

  async holidayTableHistory(m: EntityManager, year?: number): Promise<HolidayTableRow[]> {
    return m.query(`SELECT ${HOLIDAY_COLUMNS} FROM reference.holiday_tables WHERE ($1::int IS NULL OR year = $1) ORDER BY year, id`, [year ?? null]);
  },

  /** The current table of `year`, locked (a change of the same year waits for the other). */
  async lockCurrentHolidayTable(m: EntityManager, year: number): Promise<HolidayTableRow | undefined> {
    const rows: HolidayTableRow[] = await m.query(`SELECT ${HOLIDAY_COLUMNS} FROM reference.holiday_tables WHERE year = $1 AND superseded_at IS NULL FOR UPDATE`, [year]);
    return rows[0];
  },

  /** Closes the current table of the year (if any) and inserts `t` as current; answers the new row's id. */
  async replaceHolidayTable(m: EntityManager, t: NewHolidayTable): Promise<number> {
    await m.query(`UPDATE reference.holiday_tables SET superseded_at = $2 WHERE year = $1 AND superseded_at IS NULL`, [t.year, t.recordedAt]);
    const [row] = await m.query(
      `INSERT INTO reference.holiday_tables (year, status, holidays, working_weekends, source, valid_from, valid_to, recorded_at, recorded_by, reason)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5, make_date($1, 1, 1), make_date($1, 12, 31), $6, $7, $8) RETURNING id::int AS id`,
      [t.year, t.status, JSON.stringify(t.holidays), JSON.stringify(t.workingWeekends), t.source, t.recordedAt, t.recordedBy, t.reason],
    );
    return row.id;
  },

  async currentDatasets(m: EntityManager): Promise<DatasetRow[]> {
    return m.query(`SELECT ${DATASET_COLUMNS} FROM reference.datasets WHERE superseded_at IS NULL ORDER BY kind`);
  },

  async datasetHistory(m: EntityManager, kind: DatasetKind): Promise<DatasetRow[]> {
    return m.query(`SELECT ${DATASET_COLUMNS} FROM reference.datasets WHERE kind = $1 ORDER BY id`, [kind]);
  },

  async lockCurrentDataset(m: EntityManager, kind: DatasetKind): Promise<DatasetRow | undefined> {
    const rows: DatasetRow[] = await m.query(`SELECT ${DATASET_COLUMNS} FROM reference.datasets WHERE kind = $1 AND superseded_at IS NULL FOR UPDATE`, [kind]);
    return rows[0];
  },

  async replaceDataset(m: EntityManager, d: NewDataset): Promise<number> {
    await m.query(`UPDATE reference.datasets SET superseded_at = $2 WHERE kind = $1 AND superseded_at IS NULL`, [d.kind, d.recordedAt]);
    const [row] = await m.query(
      `INSERT INTO reference.datasets (kind, content, valid_from, valid_to, recorded_at, recorded_by, reason)
       VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7) RETURNING id::int AS id`,
      [d.kind, JSON.stringify(d.content), d.validFrom, d.validTo, d.recordedAt, d.recordedBy, d.reason],
    );
    return row.id;
  },

  /** A number that changes whenever anything in the schema changes (replicas reload when it moves). */
  async revision(m: EntityManager): Promise<string> {
    const [row] = await m.query(
      `SELECT (SELECT coalesce(max(id), 0) FROM reference.holiday_tables)::text || '.' || (SELECT coalesce(max(id), 0) FROM reference.datasets)::text AS revision`,
    );
    return row.revision;
  },
};

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DataRecordType } from '@homeward/domain';

/** One entered record as CC-29 measures it. */
export interface DataRecordRow {
  recordType: DataRecordType;
  recordId: string;
  subjectId: string;
  personKey: string;
  town: string;
  eventDate: string;
  enteredOn: string;
  /** A deadline of the record's own (the enrolment's CC-3 notice deadline), else null. */
  dueOn: string | null;
  missingFields: string[];
  corrected: boolean;
}

const ENTERED = (alias: string) => `(${alias}.created_at AT TIME ZONE 'Asia/Shanghai')::date`;
const missing = (...cases: string[]) => `array_remove(ARRAY[${cases.map((c) => `CASE WHEN ${c}`).join(', ')}]::text[], NULL)`;
const blank = (col: string) => `btrim(${col}) = ''`;

/**
 * CC-29: per record type, its event date, entry day, required fields left empty at entry and whether it
 * was flagged as wrong by its own feature (an enrolment whose period conflicts with its sentence).
 * Read-only SQL over the features' tables, like the indicators (one statement for every type).
 */
const RECORDS: Record<DataRecordType, string> = {
  [DataRecordType.ENROLMENT]: `SELECT 'ENROLMENT' AS record_type, s.id AS record_id, s.id AS subject_id, s.person_key, s.town,
      s.judgment_effective_date AS event_date, s.notified_on AS entered_on, s.notice_deadline AS due_on,
      ${missing(
        `s.residence_address_cipher IS NULL THEN 'residenceAddress' END`,
        `s.sentence_type = 'PROBATION' AND (s.suspended_penalty IS NULL OR s.sentence_completed_on IS NOT NULL) THEN 'suspendedPenalty' END`,
      )} AS missing, (s.period_conflict IS NOT NULL) AS flagged
    FROM correction.subjects s WHERE s.notified_on IS NOT NULL`,
  [DataRecordType.CHECK_IN]: `SELECT 'CHECK_IN', c.id, s.id, s.person_key, s.town, c.on_date, ${ENTERED('c')}, NULL::date,
      ${missing(`c.channel = 'APP' AND c.face_match IS NULL THEN 'faceMatch' END`, `c.channel = 'APP' AND (c.lat IS NULL OR c.lng IS NULL) THEN 'location' END`)}, false
    FROM correction.check_ins c JOIN correction.subjects s ON s.id = c.subject_id`,
  [DataRecordType.ACTIVITY_HOURS]: `SELECT 'ACTIVITY_HOURS', a.id, s.id, s.person_key, s.town, a.on_date, ${ENTERED('a')}, NULL::date,
      ${missing(`a.hours <= 0 THEN 'hours' END`)}, false
    FROM correction.activity_hours a JOIN correction.subjects s ON s.id = a.subject_id`,
  [DataRecordType.SANCTION]: `SELECT 'SANCTION', x.id, s.id, s.person_key, s.town, x.decided_on, ${ENTERED('x')}, NULL::date,
      ${missing(`${blank('x.reason')} THEN 'reason' END`, `${blank('x.decided_by')} THEN 'decidedBy' END`)}, false
    FROM correction.sanctions x JOIN correction.subjects s ON s.id = x.subject_id`,
  [DataRecordType.SUPERVISION_LEVEL]: `SELECT 'SUPERVISION_LEVEL', l.id, s.id, s.person_key, s.town, l.effective_on, ${ENTERED('l')}, NULL::date,
      ${missing(`${blank('l.reason')} THEN 'reason' END`)}, false
    FROM correction.supervision_levels l JOIN correction.subjects s ON s.id = l.subject_id`,
  [DataRecordType.ABSCONDING]: `SELECT 'ABSCONDING', e.id, s.id, s.person_key, s.town, e.lost_contact_on, ${ENTERED('e')}, NULL::date,
      ARRAY[]::text[], false
    FROM correction.absconding_episodes e JOIN correction.subjects s ON s.id = e.subject_id`,
  [DataRecordType.ASSISTANCE_NEED]: `SELECT 'ASSISTANCE_NEED', n.id, s.id, s.person_key, s.town, n.recorded_on, ${ENTERED('n')}, NULL::date,
      ${missing(`${blank('n.description')} THEN 'description' END`)}, false
    FROM correction.assistance_needs n JOIN correction.subjects s ON s.id = n.subject_id`,
  [DataRecordType.DISPUTE]: `SELECT 'DISPUTE', d.id, s.id, s.person_key, s.town, d.found_on, ${ENTERED('d')}, NULL::date,
      ARRAY[]::text[], false
    FROM correction.disputes d JOIN correction.subjects s ON s.id = d.subject_id`,
};

const ALL = Object.values(RECORDS).join('\nUNION ALL\n');

interface RawRow {
  record_type: DataRecordType;
  record_id: string;
  subject_id: string;
  person_key: string;
  town: string;
  event_date: string;
  entered_on: string;
  due_on: string | null;
  missing: string[];
  corrected: boolean;
}

function toRow(r: RawRow): DataRecordRow {
  return {
    recordType: r.record_type,
    recordId: r.record_id,
    subjectId: r.subject_id,
    personKey: r.person_key,
    town: r.town,
    eventDate: r.event_date,
    enteredOn: r.entered_on,
    dueOn: r.due_on,
    missingFields: r.missing,
    corrected: r.corrected,
  };
}

const SELECT_CORRECTED = `SELECT u.record_type, u.record_id, u.subject_id, u.person_key, u.town,
    to_char(u.event_date, 'YYYY-MM-DD') AS event_date, to_char(u.entered_on, 'YYYY-MM-DD') AS entered_on,
    to_char(u.due_on, 'YYYY-MM-DD') AS due_on, u.missing,
    (u.flagged OR EXISTS (SELECT 1 FROM correction.data_corrections dc WHERE dc.record_type = u.record_type AND dc.record_id = u.record_id)) AS corrected
  FROM (${ALL}) AS u (record_type, record_id, subject_id, person_key, town, event_date, entered_on, due_on, missing, flagged)`;

/**
 * K-DQ1's records of a period grouped (`groupedInPeriod`); $1 start, $2 end, $3 towns. Exported for
 * bench/scale.ts, which runs it bare beside the city's indicators.
 */
export const DATA_RECORD_GROUPS_SQL = `SELECT r.town, r.event_date, r.entered_on, r.due_on, cardinality(r.missing) = 0 AS complete, r.corrected, count(*) AS n
   FROM (${SELECT_CORRECTED} WHERE u.town = ANY($3::varchar[]) AND u.event_date BETWEEN $1::date AND $2::date) r
  GROUP BY 1, 2, 3, 4, 5, 6`;

export interface DataRecordGroup {
  town: string;
  eventDate: string;
  enteredOn: string;
  dueOn: string | null;
  complete: boolean;
  corrected: boolean;
  count: number;
}

export interface NewDataCorrection {
  recordType: DataRecordType;
  recordId: string;
  subjectId: string;
  town: string;
  correctedOn: string;
  fields: string[];
  reasonCipher: string;
  recordedBy: string;
}

@Injectable()
export class DataQualityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records whose event fell in [start, end] in the given towns, oldest event first. */
  async inPeriod(towns: readonly string[], start: string, end: string): Promise<DataRecordRow[]> {
    if (towns.length === 0) return [];
    const rows: RawRow[] = await this.dataSource.query(
      `${SELECT_CORRECTED} WHERE u.town = ANY($3::varchar[]) AND u.event_date BETWEEN $1::date AND $2::date
        ORDER BY u.event_date, u.record_type, u.record_id`,
      [start, end, [...towns]],
    );
    return rows.map(toRow);
  }

  /**
   * The same records grouped by what K-DQ1 needs (town, event day, entry day, own deadline, complete,
   * corrected) with their number: a year of the city is a few thousand groups, not every row.
   */
  async groupedInPeriod(towns: readonly string[], start: string, end: string): Promise<DataRecordGroup[]> {
    if (towns.length === 0) return [];
    const rows: { town: string; event_date: string; entered_on: string; due_on: string | null; complete: boolean; corrected: boolean; n: string }[] =
      await this.dataSource.query(
        DATA_RECORD_GROUPS_SQL,
        [start, end, [...towns]],
      );
    return rows.map((r) => ({
      town: r.town,
      eventDate: r.event_date,
      enteredOn: r.entered_on,
      dueOn: r.due_on,
      complete: r.complete,
      corrected: r.corrected,
      count: Number(r.n),
    }));
  }

  /** One record by type and id, whatever its town (the caller checks jurisdiction). */
  async find(manager: EntityManager, type: DataRecordType, id: string): Promise<DataRecordRow | null> {
    const rows: RawRow[] = await manager.query(`${SELECT_CORRECTED} WHERE u.record_type = $1 AND u.record_id = $2::uuid`, [type, id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async insertCorrection(manager: EntityManager, c: NewDataCorrection): Promise<string> {
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO correction.data_corrections (record_type, record_id, subject_id, town, corrected_on, fields, reason_cipher, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [c.recordType, c.recordId, c.subjectId, c.town, c.correctedOn, c.fields, c.reasonCipher, c.recordedBy],
    );
    return rows[0].id;
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pLimit from 'p-limit';
import { DataSource } from 'typeorm';
import {
  correctionCentreTowns,
  CorrectionCounts,
  CorrectionIndicatorValue,
  EMPTY_CORRECTION_COUNTS,
  PeriodRange,
  TOWNS,
  addCorrectionCounts,
  compareLocalDate,
  correctionIndicators,
  minLocalDate,
} from '@homeward/domain';
import { AuditWriter, Clock, Principal } from '@homeward/platform';
import { CorrectionConfig } from '../config';
import { DataQualityService } from '../data-quality/data-quality.service';

/** One row of the indicator table: a town (or the city, town = null) and its K-CC values. */
export interface IndicatorRow {
  town: string | null;
  counts: CorrectionCounts;
  indicators: CorrectionIndicatorValue[];
}

interface SubjectCountRow {
  town: string;
  active: string;
  active_with_plan: string;
  active_monitored: string;
  report_due: string;
  reported_on_time: string;
  under_correction: string;
  absconded: string;
}

/**
 * K-CC1 … K-CC7 from correction's own tables, a constant number of statements whatever the number of
 * towns. Definitions (period = first..last day; "as of" = the last day, or today while it is running):
 * - K-CC1 active subjects as of the date with an approved plan approved by then / active subjects.
 * - K-CC2 active subjects under an electronic location overlapping the period / active subjects.
 * - K-CC3 subjects with an assistance need open in the period (CC-18) that was met in it / subjects in need.
 * - K-CC4 subjects whose report-in deadline fell in the period and reported in by it / those subjects
 *   whose deadline has passed (before today) or who reported already: a deadline still ahead is no failure.
 * - K-CC5 subjects who lost contact in the period or whose correction was terminated in it for a new
 *   offence (TERMINATED with newOffence) / subjects under correction at some time in it. Resettlement's
 *   re-offence events will add to it once that workstream publishes them.
 * - K-CC6 investigation assessments completed in the period by their (possibly extended) due date / completed.
 * - K-CC7 towns with a working correction centre (CORRECTION_CENTRE_TOWNS) / towns.
 * - K-CC8 case reports for the period's months accepted by the city / reported (CC-28).
 * - K-DQ1 (CC-29) records whose event fell in the period entered on time / complete / never corrected, over
 *   those records (DataQualityService).
 * - K-CC3N enrolments whose notice arrived in the period within CC-3's 5 days / notices that arrived in it.
 */
/**
 * How many of the indicators' reads one process runs at once, over all calls together. Each read holds a
 * pooled connection (DATABASE_POOL_SIZE, 10 by default) for up to a second at city scale; unbounded, two
 * city calls at once took 12 and left enrolments, check-ins and fixes waiting for a connection.
 */
export const INDICATOR_READS_AT_ONCE = 3;

@Injectable()
export class IndicatorsService {
  /** Shared by every call of this process (see INDICATOR_READS_AT_ONCE); reads start in call order. */
  private readonly reads = pLimit(INDICATOR_READS_AT_ONCE);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly config: CorrectionConfig,
    private readonly dataQuality: DataQualityService,
  ) {}

  /** Counts per town for the given towns (every given town present, zeros when nothing happened). */
  async countsByTown(towns: readonly string[], period: PeriodRange): Promise<Map<string, CorrectionCounts>> {
    const out = new Map<string, CorrectionCounts>(towns.map((t) => [t, { ...EMPTY_CORRECTION_COUNTS }]));
    if (towns.length === 0) return out;
    const today = this.clock.today();
    const asOf = minLocalDate(period.end, today);
    const townList = [...towns];
    // Independent reads, each on its own pooled connection, at most INDICATOR_READS_AT_ONCE at a time: the
    // two large ones (the pass over the subjects, K-DQ1) first, so the month's wall time is still about the
    // slower of them, not their sum (issue 13 S5).
    const read = <T>(sql: string, params: unknown[]): Promise<T> => this.reads(() => this.dataSource.query(sql, params) as Promise<T>);
    const [subjects, quality, assessments, needs, cases, notices] = await Promise.all([
      read<SubjectCountRow[]>(INDICATOR_SUBJECTS_SQL, [period.start, asOf, period.end, townList, today]),
      // CC-29 / K-DQ1: records whose event fell in the period, entered on time / complete / never corrected.
      this.reads(() => this.dataQuality.countsByTown(townList, period)),
      read<{ town: string; completed: string; on_time: string }[]>(
        `SELECT town, count(*) AS completed, count(*) FILTER (WHERE completed_on <= due_date) AS on_time
           FROM correction.investigations
          WHERE status = 'COMPLETED' AND completed_on BETWEEN $1::date AND $2::date AND town = ANY($3::varchar[])
          GROUP BY town`,
        [period.start, period.end, townList],
      ),
      read<{ town: string; in_need: string; assisted: string }[]>(
        `SELECT town, count(DISTINCT subject_id) AS in_need,
                count(DISTINCT subject_id) FILTER (WHERE given_on BETWEEN $1::date AND $2::date) AS assisted
           FROM correction.assistance_needs
          WHERE town = ANY($3::varchar[]) AND recorded_on <= $2::date AND (given_on IS NULL OR given_on >= $1::date)
          GROUP BY town`,
        [period.start, period.end, townList],
      ),
      read<{ town: string; reported: string; accepted: string }[]>(
        `SELECT town, count(*) AS reported, count(*) FILTER (WHERE status = 'ACCEPTED') AS accepted
           FROM correction.case_reports
          WHERE town = ANY($3::varchar[]) AND month BETWEEN to_char($1::date, 'YYYY-MM') AND to_char($2::date, 'YYYY-MM')
          GROUP BY town`,
        [period.start, period.end, townList],
      ),
      // CC-3: enrolment notices that arrived in the period, and those within the 5 days (K-CC3N).
      read<{ town: string; received: string; on_time: string }[]>(
        `SELECT town, count(*) AS received, count(*) FILTER (WHERE notice_days_late = 0) AS on_time
           FROM correction.subjects
          WHERE town = ANY($3::varchar[]) AND notified_on BETWEEN $1::date AND $2::date
          GROUP BY town`,
        [period.start, period.end, townList],
      ),
    ]);
    for (const r of subjects) {
      const c = out.get(r.town);
      if (!c) continue;
      c.activeSubjects = Number(r.active);
      c.activeWithPlan = Number(r.active_with_plan);
      c.activeMonitored = Number(r.active_monitored);
      c.reportDue = Number(r.report_due);
      c.reportedOnTime = Number(r.reported_on_time);
      c.underCorrection = Number(r.under_correction);
      c.abscondedOrReoffended = Number(r.absconded);
    }
    for (const r of assessments) {
      const c = out.get(r.town);
      if (!c) continue;
      c.assessmentsCompleted = Number(r.completed);
      c.assessmentsOnTime = Number(r.on_time);
    }
    for (const r of needs) {
      const c = out.get(r.town);
      if (!c) continue;
      c.inNeed = Number(r.in_need);
      c.assisted = Number(r.assisted);
    }
    for (const r of cases) {
      const c = out.get(r.town);
      if (!c) continue;
      c.casesReported = Number(r.reported);
      c.casesAccepted = Number(r.accepted);
    }
    for (const r of notices) {
      const c = out.get(r.town);
      if (!c) continue;
      c.noticesReceived = Number(r.received);
      c.noticesOnTime = Number(r.on_time);
    }
    for (const [town, q] of quality) {
      const c = out.get(town);
      if (!c) continue;
      c.dataRecords = q.records;
      c.dataOnTime = q.onTime;
      c.dataComplete = q.complete;
      c.dataUncorrected = q.uncorrected;
    }
    // Reference data (CORRECTION_CENTRES, issue 7 item 10) working at the period's end, plus the env list.
    const centres = new Set([...correctionCentreTowns(period.end), ...centreTowns(this.config.CORRECTION_CENTRE_TOWNS)]);
    for (const [town, c] of out) {
      c.towns = 1;
      c.townsWithCentre = centres.has(town) ? 1 : 0;
    }
    return out;
  }

  /** Indicator rows for towns the caller may see (others are left out), audited once. */
  async forTowns(caller: Principal, towns: readonly string[], period: PeriodRange, action = 'correction.indicators.read'): Promise<IndicatorRow[]> {
    const counts = await this.countsByTown(towns, period);
    await this.audit.record({ actor: caller, action, entityType: 'CorrectionIndicators', towns: [...towns], details: { period: period.label } });
    return [...counts].map(([town, c]) => ({ town, counts: c, indicators: correctionIndicators(c) }));
  }

  /** The whole city: every town in force at the end of the period, summed. */
  async forCity(caller: Principal, period: PeriodRange): Promise<IndicatorRow> {
    const towns = townsInForce(period.end);
    const counts = await this.countsByTown(towns, period);
    const total = [...counts.values()].reduce(addCorrectionCounts, { ...EMPTY_CORRECTION_COUNTS });
    await this.audit.record({ actor: caller, action: 'correction.indicators.city.read', entityType: 'CorrectionIndicators', details: { period: period.label } });
    return { town: null, counts: total, indicators: correctionIndicators(total) };
  }
}

/**
 * K-CC1, K-CC2, K-CC4, K-CC5 per town in one pass over the subjects; $1 period start, $2 the "as of"
 * day, $3 period end, $4 towns, $5 today. Exported for bench/scale.ts, which runs it bare.
 *
 * - `moved`, CC-13: a subject counts in its town as of $2: a residence transfer applied after $2 still
 *   counts it in its old town (the earliest such transfer's from_town).
 * - `facts`: the subjects with an approved plan by $2 (K-CC1), an electronic location overlapping the
 *   period (K-CC2), or (K-CC5) contact lost in the period or a re-offence in it during their
 *   correction (resettlement's events, matched to the case by person_key here, among the few
 *   persons with an offence in the period): one row per subject, so the pass joins one small relation
 *   instead of four (issue 13 S5: each join of 700,000 rows cost a few hundred milliseconds).
 * - the pass reads `subjects_indicators_idx` (migration 1797600000600) index-only.
 */
export const INDICATOR_SUBJECTS_SQL = `
  WITH moved AS (
    SELECT DISTINCT ON (t.subject_id) t.subject_id, t.from_town FROM correction.residence_transfers t
     WHERE t.status = 'APPLIED' AND t.effective_date > $2::date ORDER BY t.subject_id, t.effective_date),
  facts AS (
    SELECT f.subject_id, bool_or(f.fact = 'PLAN') AS planned, bool_or(f.fact = 'MONITORED') AS monitored, bool_or(f.fact = 'LOST') AS lost
      FROM (
        SELECT p.subject_id, 'PLAN' AS fact FROM correction.plans p WHERE p.approved AND p.approved_on <= $2::date
        UNION ALL
        SELECT m.subject_id, 'MONITORED' FROM correction.monitorings m
         WHERE m.start_date <= $2::date AND COALESCE(m.ended_on, m.end_date) >= $1::date
        UNION ALL
        SELECT a.subject_id, 'LOST' FROM correction.absconding_episodes a WHERE a.lost_contact_on BETWEEN $1::date AND $2::date
        UNION ALL
        SELECT r.id, 'LOST' FROM correction.reoffences o JOIN correction.subjects r ON r.person_key = o.person_key
         WHERE o.offence_date BETWEEN $1::date AND $2::date
           AND r.activated_on IS NOT NULL AND o.offence_date >= r.activated_on
           AND (r.ended_on IS NULL OR o.offence_date <= r.ended_on)) f
     GROUP BY f.subject_id),
  s AS (
    SELECT s.id, s.activated_on, s.ended_on, s.report_deadline, s.reported_on, s.ended_for_new_offence,
           COALESCE(mv.from_town, s.town) AS town,
           (s.activated_on IS NOT NULL AND s.activated_on <= $2::date AND (s.ended_on IS NULL OR s.ended_on > $2::date)) AS active
      FROM correction.subjects s LEFT JOIN moved mv ON mv.subject_id = s.id
     WHERE COALESCE(mv.from_town, s.town) = ANY($4::varchar[]))
  SELECT s.town,
    count(*) FILTER (WHERE s.active) AS active,
    count(*) FILTER (WHERE s.active AND f.planned) AS active_with_plan,
    count(*) FILTER (WHERE s.active AND f.monitored) AS active_monitored,
    count(*) FILTER (WHERE s.report_deadline BETWEEN $1::date AND $3::date
      AND (s.report_deadline < $5::date OR s.reported_on IS NOT NULL)) AS report_due,
    count(*) FILTER (WHERE s.report_deadline BETWEEN $1::date AND $3::date
      AND s.reported_on IS NOT NULL AND s.reported_on <= s.report_deadline) AS reported_on_time,
    count(*) FILTER (WHERE s.activated_on IS NOT NULL AND s.activated_on <= $2::date
      AND (s.ended_on IS NULL OR s.ended_on >= $1::date)) AS under_correction,
    count(*) FILTER (WHERE f.lost OR (s.ended_for_new_offence AND s.ended_on BETWEEN $1::date AND $2::date)) AS absconded
  FROM s LEFT JOIN facts f ON f.subject_id = s.id
  GROUP BY s.town`;

/** Town codes in force on a date (K-CC7's denominator for the city). */
export function townsInForce(on: string): string[] {
  return TOWNS.filter((t) => compareLocalDate(t.validFrom, on) <= 0 && (t.validTo === undefined || compareLocalDate(on, t.validTo) <= 0)).map((t) => t.code);
}

function centreTowns(raw: string): Set<string> {
  return new Set(
    raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0),
  );
}

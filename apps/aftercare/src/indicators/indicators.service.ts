import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AftercareCounts,
  AftercareIndicatorValue,
  CaseFollowUpFacts,
  EMPTY_AFTERCARE_COUNTS,
  PeriodRange,
  abstinentOn,
  addAftercareCounts,
  aftercareIndicators,
  followUpCoverage,
  minLocalDate,
  yearOf,
} from '@homeward/domain';
import { AuditWriter, Clock, Principal, townFilter, townsOf } from '@homeward/platform';
import { SuccessCasesService } from '../success-cases/success-cases.service';

export interface AftercareIndicatorRow {
  /** Town code; null for the city (sum of its towns). */
  town: string | null;
  counts: AftercareCounts;
  indicators: AftercareIndicatorValue[];
}

/** AC-7 one line of the monthly statistics report (后续照管月度统计) to the Wuxi guidance station. */
export interface MonthlyStatisticsLine {
  town: string | null;
  noticesReceived: number;
  noticesMatched: number;
  contactedWithin7Days: number;
  phoneFollowUps: number;
  visits: number;
  drugTests: number;
  negative: number;
  positive: number;
  refused: number;
  notTested: number;
  relapses: number;
  closures: number;
  successCases: number;
}

type Num = Record<string, number>;
const EMPTY_LINE: Omit<MonthlyStatisticsLine, 'town'> = {
  noticesReceived: 0,
  noticesMatched: 0,
  contactedWithin7Days: 0,
  phoneFollowUps: 0,
  visits: 0,
  drugTests: 0,
  negative: 0,
  positive: 0,
  refused: 0,
  notTested: 0,
  relapses: 0,
  closures: 0,
  successCases: 0,
};

/**
 * K-AC1 … K-AC4 per station (town) and for the city over a month, quarter or year (docs/domain.md
 * "Indicators", "As built"), and the AC-7 monthly statistics. The day that counts is
 * `asOf` = the period's last day or today, whichever is earlier:
 *  - K-AC1: notices (cases) released in the period whose 7-day (cfg) contact deadline has passed or
 *    that were contacted in time; numerator those contacted by their deadline.
 *  - K-AC2: subjects in aftercare on `asOf` (enrolled, not closed); numerator those without a relapse
 *    in the 12 months up to `asOf` (`abstinentOn`).
 *  - K-AC3: subject-months / subject-quarters owed in the period up to `asOf` (`followUpCoverage`).
 *  - K-AC4: success cases named for the period's year against 1 (2 at ≥ 10 subjects that year).
 */
@Injectable()
export class AftercareIndicatorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    private readonly successCases: SuccessCasesService,
  ) {}

  async forTowns(caller: Principal, period: PeriodRange, action = 'aftercare.indicators.read'): Promise<AftercareIndicatorRow[]> {
    const towns = townFilter(caller);
    if (towns.length === 0) return [];
    const counts = await this.counts(towns, period);
    const rows = towns.map((town) => {
      const c = counts.get(town) ?? { ...EMPTY_AFTERCARE_COUNTS };
      return { town, counts: c, indicators: aftercareIndicators(c) };
    });
    await this.audit.record({ actor: caller, action, entityType: 'AftercareIndicators', towns, details: { period: period.label } });
    return rows;
  }

  /** The city row: the sum of the towns' counts. */
  city(rows: readonly AftercareIndicatorRow[]): AftercareIndicatorRow {
    const c = rows.map((r) => r.counts).reduce(addAftercareCounts, { ...EMPTY_AFTERCARE_COUNTS });
    return { town: null, counts: c, indicators: aftercareIndicators(c) };
  }

  async counts(towns: readonly string[], p: PeriodRange): Promise<Map<string, AftercareCounts>> {
    const today = this.clock.today();
    const asOf = minLocalDate(p.end, today);
    const byTown = new Map<string, AftercareCounts>(towns.map((t) => [t, { ...EMPTY_AFTERCARE_COUNTS }]));
    const q = <T>(sql: string, params: unknown[]) => this.dataSource.query<T[]>(sql, params);
    // K-AC1
    for (const r of await q<{ town: string; notices: number; in_time: number }>(
      `SELECT town, count(*)::int AS notices, count(*) FILTER (WHERE first_contact_on <= contact_due)::int AS in_time
         FROM aftercare.cases
        WHERE town = ANY($1) AND release_date BETWEEN $2 AND $3 AND contact_due IS NOT NULL
          AND (contact_due < $4 OR first_contact_on <= contact_due)
        GROUP BY town`,
      [towns, p.start, p.end, today],
    )) {
      Object.assign(byTown.get(r.town) as AftercareCounts, { notices: r.notices, contactedInTime: r.in_time });
    }
    // K-AC2 and K-AC3: the cases enrolled by asOf and not closed before the period began.
    const cases = await q<{ id: string; town: string; enrolled_on: string; closed_on: string | null; relapses: string[] | null; phoned: string[] | null; visited: string[] | null }>(
      `SELECT c.id, c.town, c.enrolled_on::text, c.closed_on::text,
              (SELECT array_agg(r.relapsed_on::text) FROM aftercare.relapses r WHERE r.case_id = c.id AND r.relapsed_on <= $3) AS relapses,
              (SELECT array_agg(DISTINCT f.period) FROM aftercare.follow_ups f WHERE f.case_id = c.id AND f.kind = 'PHONE' AND f.held_on <= $3) AS phoned,
              (SELECT array_agg(DISTINCT f.period) FROM aftercare.follow_ups f WHERE f.case_id = c.id AND f.kind = 'FACE_TO_FACE' AND f.held_on <= $3) AS visited
         FROM aftercare.cases c
        WHERE c.town = ANY($1) AND c.enrolled_on IS NOT NULL AND c.enrolled_on <= $3 AND (c.closed_on IS NULL OR c.closed_on >= $2)`,
      [towns, p.start, asOf],
    );
    for (const town of towns) {
      const mine = cases.filter((c) => c.town === town);
      const inAftercare = mine.filter((c) => c.closed_on === null || c.closed_on > asOf);
      const facts: CaseFollowUpFacts[] = mine.map((c) => ({ enrolledOn: c.enrolled_on, closedOn: c.closed_on, phonedMonths: new Set(c.phoned ?? []), visitedQuarters: new Set(c.visited ?? []) }));
      Object.assign(byTown.get(town) as AftercareCounts, {
        subjects: inAftercare.length,
        abstinent: inAftercare.filter((c) => abstinentOn(c.relapses ?? [], asOf)).length,
        ...followUpCoverage(facts, p, today),
      });
    }
    // K-AC4
    for (const s of await this.successCases.standing(this.dataSource.manager, towns, yearOf(p.end), asOf)) {
      Object.assign(byTown.get(s.town) as AftercareCounts, { successCases: s.successCases, successCasesRequired: s.required });
    }
    return byTown;
  }

  /**
   * AC-7 the monthly statistics of the caller's towns and the city total. A CITY_ADMIN's total also
   * counts the notices received that month still waiting in the city queue (received, not matched).
   */
  async monthlyStatistics(caller: Principal, p: PeriodRange): Promise<{ towns: MonthlyStatisticsLine[]; city: MonthlyStatisticsLine }> {
    const towns = townFilter(caller);
    const lines = new Map<string, MonthlyStatisticsLine>(towns.map((t) => [t, { town: t, ...EMPTY_LINE }]));
    const add = (rows: Array<Num & { town: string }>) => {
      for (const r of rows) {
        const line = lines.get(r.town);
        if (!line) continue;
        for (const [k, v] of Object.entries(r)) if (k !== 'town') (line as unknown as Num)[k] = Number(v);
      }
    };
    const args = [towns, p.start, p.end];
    const q = <T>(sql: string) => this.dataSource.query<T[]>(sql, args);
    if (towns.length > 0) {
      add(await q(`SELECT town, count(*) AS "noticesReceived", count(*) AS "noticesMatched" FROM aftercare.release_notices WHERE town = ANY($1) AND received_on BETWEEN $2 AND $3 GROUP BY town`));
      add(await q(`SELECT town, count(*) AS "contactedWithin7Days" FROM aftercare.cases WHERE town = ANY($1) AND first_contact_on BETWEEN $2 AND $3 AND first_contact_on <= contact_due GROUP BY town`));
      add(
        await q(
          `SELECT c.town, count(*) FILTER (WHERE f.kind = 'PHONE') AS "phoneFollowUps", count(*) FILTER (WHERE f.kind = 'FACE_TO_FACE') AS "visits",
                  count(*) FILTER (WHERE f.drug_test = 'NOT_TESTED') AS "notTested"
             FROM aftercare.follow_ups f JOIN aftercare.cases c ON c.id = f.case_id WHERE c.town = ANY($1) AND f.held_on BETWEEN $2 AND $3 GROUP BY c.town`,
        ),
      );
      add(
        await q(
          `SELECT c.town, count(*) AS "drugTests", count(*) FILTER (WHERE t.result = 'NEGATIVE') AS "negative",
                  count(*) FILTER (WHERE t.result = 'POSITIVE') AS "positive", count(*) FILTER (WHERE t.result = 'REFUSED') AS "refused"
             FROM aftercare.drug_tests t JOIN aftercare.cases c ON c.id = t.case_id WHERE c.town = ANY($1) AND t.tested_on BETWEEN $2 AND $3 GROUP BY c.town`,
        ),
      );
      add(await q(`SELECT town, count(*) AS "relapses" FROM aftercare.relapses WHERE town = ANY($1) AND relapsed_on BETWEEN $2 AND $3 GROUP BY town`));
      add(await q(`SELECT town, count(*) AS "closures" FROM aftercare.cases WHERE town = ANY($1) AND closed_on BETWEEN $2 AND $3 GROUP BY town`));
      add(await q(`SELECT town, count(*) AS "successCases" FROM aftercare.success_cases WHERE town = ANY($1) AND named_on BETWEEN $2 AND $3 GROUP BY town`));
    }
    const townLines = towns.map((t) => lines.get(t) as MonthlyStatisticsLine);
    const city: MonthlyStatisticsLine = { town: null, ...EMPTY_LINE };
    for (const l of townLines) for (const k of Object.keys(EMPTY_LINE) as (keyof typeof EMPTY_LINE)[]) city[k] += l[k];
    if (townsOf(caller) === '*') {
      const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM aftercare.release_notices WHERE town IS NULL AND received_on BETWEEN $1 AND $2`, [p.start, p.end]);
      city.noticesReceived += n;
    }
    await this.audit.record({ actor: caller, action: 'aftercare.statistics.export', entityType: 'AftercareIndicators', towns, details: { period: p.label } });
    return { towns: townLines, city };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  DEFAULT_RESETTLEMENT_SETTINGS,
  EMPTY_RESETTLEMENT_COUNTS,
  PeriodRange,
  ResettlementCounts,
  ResettlementIndicatorValue,
  addResettlementCounts,
  fiveYearReoffending,
  resettlementIndicators,
  sameYearReoffending,
  socialWorkersNeeded,
  yearOf,
} from '@homeward/domain';
import { AuditWriter, Principal, townFilter } from '@homeward/platform';
import { ResettlementConfig } from '../config';

export interface ResettlementIndicatorRow {
  /** Town code; null for the city (sum of its towns). */
  town: string | null;
  counts: ResettlementCounts;
  indicators: ResettlementIndicatorValue[];
}

type Num = Record<string, number>;

/**
 * K-RS1 … K-RS12 per town and for the city over a month, quarter or year (docs/domain.md
 * "Indicators"). Rates over the period's releases; K-RS7 / K-RS8 by the cohort method
 * (`fiveYearReoffending`, `sameYearReoffending`) on the period's last day and year; K-RS11 on the
 * period's last day.
 */
@Injectable()
export class ResettlementIndicatorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    @Inject(ResettlementConfig) private readonly config: ResettlementConfig,
  ) {}

  async forTowns(caller: Principal, period: PeriodRange, action = 'resettlement.indicators.read'): Promise<ResettlementIndicatorRow[]> {
    const towns = townFilter(caller);
    if (towns.length === 0) return [];
    const counts = await this.counts(towns, period);
    const rows = towns.map((town) => {
      const c = counts.get(town) ?? { ...EMPTY_RESETTLEMENT_COUNTS };
      return { town, counts: c, indicators: resettlementIndicators(c) };
    });
    await this.audit.record({ actor: caller, action, entityType: 'ResettlementIndicators', towns, details: { period: period.label } });
    return rows;
  }

  /** The city row: the sum of the towns' counts. */
  city(rows: readonly ResettlementIndicatorRow[]): ResettlementIndicatorRow {
    const c = rows.map((r) => r.counts).reduce(addResettlementCounts, { ...EMPTY_RESETTLEMENT_COUNTS });
    return { town: null, counts: c, indicators: resettlementIndicators(c) };
  }

  async counts(towns: readonly string[], p: PeriodRange): Promise<Map<string, ResettlementCounts>> {
    const q = <T>(sql: string, params: unknown[]) => this.dataSource.query<T[]>(sql, params);
    const byTown = new Map<string, ResettlementCounts>(towns.map((t) => [t, { ...EMPTY_RESETTLEMENT_COUNTS }]));
    const add = (rows: Array<Num & { town: string }>) => {
      for (const r of rows) {
        const c = byTown.get(r.town);
        if (!c) continue;
        for (const [k, v] of Object.entries(r)) if (k !== 'town') (c as unknown as Num)[k] = Number(v);
      }
    };
    const args = [towns, p.start, p.end];
    add(
      await q(
        `SELECT town,
                count(*) FILTER (WHERE expected_release_date BETWEEN $2 AND $3) AS "noticesDue",
                count(*) FILTER (WHERE expected_release_date BETWEEN $2 AND $3 AND verified_on < expected_release_date) AS "verifiedBeforeRelease",
                count(*) FILTER (WHERE received_on BETWEEN $2 AND $3) AS "notices",
                count(*) FILTER (WHERE received_on BETWEEN $2 AND $3 AND receipt_status = 'SENT') AS "receiptsSent",
                count(*) FILTER (WHERE expected_release_date BETWEEN $2 AND $3 AND (key_person OR agreement_applied)) AS "agreementsRequired",
                count(*) FILTER (WHERE expected_release_date BETWEEN $2 AND $3 AND (key_person OR agreement_applied)
                                   AND EXISTS (SELECT 1 FROM resettlement.agreements a WHERE a.notice_id = n.id AND a.signed_on <= n.expected_release_date)) AS "agreementsSigned"
           FROM resettlement.pre_release_notices n WHERE town = ANY($1) GROUP BY town`,
        args,
      ),
    );
    add(
      await q(
        `SELECT town,
                count(*) FILTER (WHERE key_person) AS "keyReleased",
                count(*) FILTER (WHERE key_person AND picked_up_at IS NOT NULL) AS "keyPickedUp",
                count(*) FILTER (WHERE key_person AND EXISTS (SELECT 1 FROM resettlement.police_hand_overs h WHERE h.release_id = r.id)) AS "keyHandedToPolice",
                count(*) FILTER (WHERE NOT key_person) AS "generalReleased",
                count(*) FILTER (WHERE NOT key_person AND picked_up_at IS NOT NULL) AS "generalPickedUp"
           FROM resettlement.releases r WHERE town = ANY($1) AND actual_release_date BETWEEN $2 AND $3 GROUP BY town`,
        args,
      ),
    );
    add(
      await q(
        `SELECT town,
                count(*) FILTER (WHERE status IN ('CONFIRMED', 'COMPLETED', 'FAILED')) AS "visitsConfirmed",
                count(*) FILTER (WHERE status = 'COMPLETED') AS "visitsCompleted"
           FROM resettlement.video_visits WHERE town = ANY($1) AND (starts_at AT TIME ZONE 'Asia/Shanghai')::date BETWEEN $2 AND $3 GROUP BY town`,
        args,
      ),
    );
    // K-RS7 … K-RS10: releases of the cohorts, their re-offences, resettlement and employment services.
    const year = yearOf(p.end);
    const releases = await q<{ person_key: string; release_date: string; town: string; resettled: boolean; served: boolean }>(
      `SELECT r.person_key, r.actual_release_date::text AS release_date, r.town,
              coalesce(c.resettlement_status <> 'NOT_RESETTLED', false) AS resettled,
              EXISTS (SELECT 1 FROM resettlement.employment_services e WHERE e.case_id = r.case_id) AS served
         FROM resettlement.releases r LEFT JOIN resettlement.assistance_cases c ON c.id = r.case_id
        WHERE r.town = ANY($1) AND r.actual_release_date <= $2 AND r.actual_release_date > ($2::date - interval '6 years')`,
      [towns, p.end],
    );
    const keys = [...new Set(releases.map((r) => r.person_key))];
    const offences = keys.length
      ? await q<{ person_key: string; offence_date: string }>(`SELECT person_key, offence_date::text FROM resettlement.reoffence_reports WHERE person_key = ANY($1) AND offence_date <= $2`, [keys, p.end])
      : [];
    const reoffences = offences.map((o) => ({ personKey: o.person_key, offenceDate: o.offence_date }));
    for (const town of towns) {
      const mine = releases.filter((r) => r.town === town).map((r) => ({ personKey: r.person_key, releaseDate: r.release_date, town, resettled: r.resettled, served: r.served }));
      const c = byTown.get(town) as ResettlementCounts;
      const five = fiveYearReoffending(mine, reoffences, p.end, this.config.ASSISTANCE_AFTER_RELEASE_YEARS);
      const same = sameYearReoffending(mine, reoffences, year);
      const inYear = mine.filter((r) => yearOf(r.releaseDate) === year && r.releaseDate <= p.end);
      Object.assign(c, {
        fiveYearReleased: five.released,
        fiveYearReoffended: five.reoffended,
        yearReleased: same.released,
        yearReoffended: same.reoffended,
        yearResettled: inYear.filter((r) => r.resettled).length,
        yearEmploymentServed: inYear.filter((r) => r.served).length,
      });
    }
    // K-RS11 on the period's last day.
    add(
      await q(
        `SELECT t.town,
                (SELECT count(*) FROM resettlement.social_workers w WHERE w.town = t.town AND w.started_on <= $2 AND (w.ended_on IS NULL OR w.ended_on >= $2)) AS "socialWorkers",
                (SELECT count(*) FROM resettlement.assistance_cases a WHERE a.town = t.town AND a.start_date <= $2 AND a.end_date >= $2) AS "subjects"
           FROM unnest($1::text[]) AS t(town)`,
        [towns, p.end],
      ),
    );
    const settings = { ...DEFAULT_RESETTLEMENT_SETTINGS, subjectsPerSocialWorker: this.config.RESETTLEMENT_SUBJECTS_PER_SOCIAL_WORKER };
    for (const c of byTown.values()) {
      const subjects = (c as unknown as Num).subjects ?? 0;
      delete (c as unknown as Num).subjects;
      c.socialWorkersNeeded = socialWorkersNeeded(subjects, settings);
    }
    return byTown;
  }
}

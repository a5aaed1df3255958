import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DomainError,
  DomainErrorCode,
  IndicatorSnapshotPayload,
  PeriodKind,
  PeriodRange,
  periodRange,
  RankingWeights,
  RankingWeightsByYear,
  RankingWorkstream,
  TOWNS,
  TownIndicatorInput,
  TownScore,
  compareLocalDate,
  parseRankingWeights,
  rankTowns,
  weightsForYear,
} from '@homeward/domain';
import { AuditWriter, Clock, Principal, townsOf } from '@homeward/platform';
import { AlertsConfig } from '../config';

/** Which workstream's snapshot is stored, and when it was published (null: none yet for the period). */
export interface WorkstreamStatus {
  workstream: RankingWorkstream;
  publishedAt: Date | null;
}

export interface TownRanking {
  /** The stored ranking's id; null for one computed on the fly. */
  id: string | null;
  period: PeriodRange;
  weightsYear: number;
  weights: RankingWeights;
  bottomN: number;
  workstreams: WorkstreamStatus[];
  rows: TownScore[];
  computedAt: Date;
  computedBy: string | null;
}

interface StoredRankingRow {
  id: string;
  period: string;
  period_kind: string;
  weights_year: number;
  weights: RankingWeights;
  bottom_n: number;
  workstreams: Array<{ workstream: RankingWorkstream; publishedAt: string | null }>;
  rows: TownScore[];
  computed_at: Date;
  computed_by: string;
}

const WORKSTREAMS = [RankingWorkstream.CORRECTION, RankingWorkstream.RESETTLEMENT, RankingWorkstream.AFTERCARE];

/**
 * Issue 11 item 6, the town ranking (考评排名). Each workstream computes its own indicators and
 * publishes them per town for a closed period (`correction.indicators.published`,
 * `resettlement.indicators.published`); the command centre keeps the latest snapshot of each
 * (`storeSnapshot`) and ranks the towns from them with the pure `rankTowns` of libs/domain, the year's
 * weights *(cfg)* `RANKING_WEIGHTS` and the bottom N *(cfg)* `RANKING_NOTICE_BOTTOM_N`. A workstream
 * without a snapshot (aftercare today) is "not yet available", never 0. `record` stores a ranking in
 * the history (the rows as computed then, with the weights used).
 */
@Injectable()
export class RankingService {
  private readonly weightsByYear: RankingWeightsByYear;
  private readonly bottomN: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditWriter,
    private readonly clock: Clock,
    @Inject(AlertsConfig) config: AlertsConfig,
  ) {
    // A bad weight table stops the app at start (as any bad configuration).
    this.weightsByYear = parseRankingWeights(config.RANKING_WEIGHTS);
    this.bottomN = config.RANKING_NOTICE_BOTTOM_N;
  }

  /** Stores a workstream's snapshot for a period, replacing an older one (latest `publishedAt` wins; an older one delivered late is ignored). */
  async storeSnapshot(
    manager: EntityManager,
    workstream: RankingWorkstream,
    p: IndicatorSnapshotPayload,
    meta: { eventId: string; publishedAt: string },
  ): Promise<boolean> {
    const kept: unknown[] = await manager.query(
      `INSERT INTO alerts.indicator_snapshots AS s (workstream, period, period_kind, starts_on, ends_on, published_at, event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workstream, period) DO UPDATE
         SET published_at = EXCLUDED.published_at, event_id = EXCLUDED.event_id, period_kind = EXCLUDED.period_kind,
             starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on
         WHERE s.published_at <= EXCLUDED.published_at
       RETURNING 1`,
      [workstream, p.period, p.periodKind, p.start, p.end, meta.publishedAt, meta.eventId],
    );
    if (kept.length === 0) return false;
    await manager.query(`DELETE FROM alerts.indicator_snapshot_values WHERE workstream = $1 AND period = $2`, [workstream, p.period]);
    const towns: string[] = [];
    const codes: string[] = [];
    const nums: number[] = [];
    const dens: number[] = [];
    for (const t of p.towns) {
      for (const i of t.indicators) {
        towns.push(t.town);
        codes.push(i.code);
        nums.push(i.numerator);
        dens.push(i.denominator);
      }
    }
    if (towns.length > 0) {
      await manager.query(
        `INSERT INTO alerts.indicator_snapshot_values (workstream, period, town, code, numerator, denominator)
         SELECT $1, $2, t, c, n, d FROM unnest($3::varchar[], $4::varchar[], $5::float8[], $6::float8[]) AS u(t, c, n, d)
         ON CONFLICT DO NOTHING`,
        [workstream, p.period, towns, codes, nums, dens],
      );
    }
    return true;
  }

  /** The ranking of a period from the snapshots stored now (not stored itself). Rows: every town, or the caller's towns only (ranks stay the city's). */
  async compute(caller: Principal, period: PeriodRange, action = 'alerts.ranking.read'): Promise<TownRanking> {
    const ranking = await this.rank(this.dataSource.manager, period);
    await this.audit.record({ actor: caller, action, entityType: 'TownRanking', details: { period: period.label } });
    return this.forCaller(caller, ranking);
  }

  /** Computes the ranking and stores it in the history (CITY_ADMIN; audited). */
  async record(caller: Principal, period: PeriodRange): Promise<TownRanking> {
    return this.dataSource.transaction(async (manager) => {
      const ranking = await this.rank(manager, period);
      const computedBy = caller.username ?? caller.sub;
      const rows: Array<{ id: string }> = await manager.query(
        `INSERT INTO alerts.town_rankings (period, period_kind, weights_year, weights, bottom_n, workstreams, rows, computed_at, computed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          period.label,
          period.kind,
          ranking.weightsYear,
          ranking.weights,
          ranking.bottomN,
          JSON.stringify(ranking.workstreams),
          JSON.stringify(ranking.rows),
          ranking.computedAt,
          computedBy,
        ],
      );
      await this.audit.record(
        {
          actor: caller,
          action: 'alerts.ranking.record',
          entityType: 'TownRanking',
          entityId: rows[0].id,
          details: { period: period.label, flagged: ranking.rows.filter((r) => r.flaggedForNotice).map((r) => r.town) },
        },
        manager,
      );
      return { ...ranking, id: rows[0].id, computedBy };
    });
  }

  /** The stored rankings (of one period, or all), newest first. */
  async history(caller: Principal, period: PeriodRange | null, first: number): Promise<TownRanking[]> {
    const rows: StoredRankingRow[] = await this.dataSource.query(
      `SELECT id, period, period_kind, weights_year, weights, bottom_n, workstreams, rows, computed_at, computed_by
         FROM alerts.town_rankings WHERE ($1::varchar IS NULL OR period = $1) ORDER BY computed_at DESC, id LIMIT $2`,
      [period?.label ?? null, first],
    );
    await this.audit.record({ actor: caller, action: 'alerts.ranking.history.read', entityType: 'TownRanking', details: { period: period?.label ?? null } });
    return rows.map((r) => this.forCaller(caller, storedRanking(r, period)));
  }

  /** One stored ranking of the period (the export of a ranking of the history); NOT_FOUND otherwise. */
  async stored(caller: Principal, id: string, period: PeriodRange): Promise<TownRanking> {
    const rows: StoredRankingRow[] = await this.dataSource.query(
      `SELECT id, period, period_kind, weights_year, weights, bottom_n, workstreams, rows, computed_at, computed_by FROM alerts.town_rankings WHERE id = $1 AND period = $2`,
      [id, period.label],
    );
    if (!rows[0]) throw new DomainError(DomainErrorCode.NOT_FOUND, `ranking ${id} of ${period.label} not found / 未找到该期考评排名`, { field: 'rankingId' });
    await this.audit.record({ actor: caller, action: 'alerts.ranking.export', entityType: 'TownRanking', entityId: id, details: { period: period.label } });
    return this.forCaller(caller, storedRanking(rows[0], period));
  }

  private async rank(manager: EntityManager, period: PeriodRange): Promise<TownRanking> {
    const headers: Array<{ workstream: RankingWorkstream; published_at: Date }> = await manager.query(
      `SELECT workstream, published_at FROM alerts.indicator_snapshots WHERE period = $1`,
      [period.label],
    );
    const values: Array<{ town: string; code: string; numerator: number; denominator: number }> = await manager.query(
      `SELECT town, code, numerator, denominator FROM alerts.indicator_snapshot_values WHERE period = $1 ORDER BY town, code`,
      [period.label],
    );
    const byTown = new Map<string, TownIndicatorInput>(townsInForce(period.end).map((t) => [t, { town: t, indicators: [] }]));
    for (const v of values) {
      const t = byTown.get(v.town);
      if (!t) continue; // a town no longer in force at the period's end is not ranked
      (t.indicators as Array<{ code: string; value: number | null }>).push({ code: v.code, value: v.denominator === 0 ? null : v.numerator / v.denominator });
    }
    const year = Number(period.start.slice(0, 4));
    const weights = weightsForYear(this.weightsByYear, year);
    const published = new Map(headers.map((h) => [h.workstream, h.published_at]));
    return {
      id: null,
      period,
      weightsYear: year,
      weights,
      bottomN: this.bottomN,
      workstreams: WORKSTREAMS.map((w) => ({ workstream: w, publishedAt: published.get(w) ?? null })),
      rows: rankTowns([...byTown.values()], weights, this.bottomN),
      computedAt: this.clock.now(),
      computedBy: null,
    };
  }

  /** CITY_ADMIN sees every town; a town officer its own towns' rows (the ranks are the city's). */
  private forCaller(caller: Principal, r: TownRanking): TownRanking {
    const towns = townsOf(caller);
    if (towns === '*') return r;
    return { ...r, rows: r.rows.filter((row) => towns.includes(row.town)) };
  }
}

/** The period of a stored label (2027-03, 2027-Q1, 2027). */
function periodOfLabel(kind: PeriodKind, label: string): PeriodRange {
  const year = Number(label.slice(0, 4));
  if (kind === PeriodKind.YEAR) return periodRange(kind, year);
  return periodRange(kind, year, Number(label.slice(kind === PeriodKind.QUARTER ? 6 : 5)));
}

function townsInForce(on: string): string[] {
  return TOWNS.filter((t) => compareLocalDate(t.validFrom, on) <= 0 && (t.validTo === undefined || compareLocalDate(on, t.validTo) <= 0)).map((t) => t.code);
}

function storedRanking(r: StoredRankingRow, asked: PeriodRange | null): TownRanking {
  const period = asked ?? periodOfLabel(r.period_kind as PeriodKind, r.period);
  return {
    id: r.id,
    period,
    weightsYear: r.weights_year,
    weights: r.weights,
    bottomN: r.bottom_n,
    workstreams: r.workstreams.map((w) => ({ workstream: w.workstream, publishedAt: w.publishedAt ? new Date(w.publishedAt) : null })),
    rows: r.rows,
    computedAt: r.computed_at,
    computedBy: r.computed_by,
  };
}

import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { INDICATOR_AVAILABILITY_LABELS, PERIOD_KIND_LABELS, RANKING_WORKSTREAM_LABELS, Role, periodRange, rankedIndicator, townName } from '@homeward/domain';
import { CurrentPrincipal, INDICATOR_READERS, Principal, Roles } from '@homeward/platform';
import { RankingPeriodInput, TownRankingType } from './ranking.types';
import { RankingService, TownRanking } from './ranking.service';

export function toTownRankingType(r: TownRanking): TownRankingType {
  return {
    id: r.id,
    period: r.period.label,
    periodKind: r.period.kind,
    periodKindLabel: PERIOD_KIND_LABELS[r.period.kind],
    weightsYear: r.weightsYear,
    bottomN: r.bottomN,
    workstreams: r.workstreams.map((w) => ({ workstream: w.workstream, workstreamLabel: RANKING_WORKSTREAM_LABELS[w.workstream], available: w.publishedAt !== null, publishedAt: w.publishedAt })),
    rows: r.rows.map((row) => ({
      town: { code: row.town, name: townName(row.town) ?? row.town },
      score: row.score,
      rank: row.rank,
      flaggedForNotice: row.flaggedForNotice,
      coverage: row.coverage,
      indicators: row.indicators.map((i) => ({
        ...i,
        label: rankedIndicator(i.code)?.label ?? i.code,
        workstreamLabel: RANKING_WORKSTREAM_LABELS[i.workstream],
        availabilityLabel: INDICATOR_AVAILABILITY_LABELS[i.availability],
      })),
    })),
    computedAt: r.computedAt,
    computedBy: r.computedBy,
  };
}

/** Issue 11 item 6: the town ranking (考评排名) for CITY_ADMIN (every town) and town staff (their towns' rows). */
@Resolver(() => TownRankingType)
export class RankingResolver {
  constructor(private readonly ranking: RankingService) {}

  @Roles(...INDICATOR_READERS)
  @Query(() => TownRankingType, { description: 'The town ranking of a period from the indicator snapshots stored now (not stored) / 镇街考评排名' })
  async townRanking(@CurrentPrincipal() caller: Principal, @Args('period', { type: () => RankingPeriodInput }) p: RankingPeriodInput): Promise<TownRankingType> {
    return toTownRankingType(await this.ranking.compute(caller, periodRange(p.kind, p.year, p.number)));
  }

  @Roles(Role.CITY_ADMIN)
  @Mutation(() => TownRankingType, { description: 'Computes the ranking of a period and stores it in the history (CITY_ADMIN) / 生成并存档考评排名' })
  async recordTownRanking(@CurrentPrincipal() caller: Principal, @Args('period', { type: () => RankingPeriodInput }) p: RankingPeriodInput): Promise<TownRankingType> {
    return toTownRankingType(await this.ranking.record(caller, periodRange(p.kind, p.year, p.number)));
  }

  @Roles(...INDICATOR_READERS)
  @Query(() => [TownRankingType], { description: 'Stored rankings (of one period, or all), newest first / 考评排名历史' })
  async townRankingHistory(
    @CurrentPrincipal() caller: Principal,
    @Args('period', { type: () => RankingPeriodInput, nullable: true }) p: RankingPeriodInput | null,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
  ): Promise<TownRankingType[]> {
    const period = p ? periodRange(p.kind, p.year, p.number) : null;
    return (await this.ranking.history(caller, period, Math.min(Math.max(first, 1), 100))).map(toTownRankingType);
  }
}

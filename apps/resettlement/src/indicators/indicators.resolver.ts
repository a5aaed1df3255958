import { Args, Query, Resolver } from '@nestjs/graphql';
import { PERIOD_KIND_LABELS, periodRange, townName } from '@homeward/domain';
import { CurrentPrincipal, INDICATOR_READERS, Principal, Roles } from '@homeward/platform';
import { ResettlementIndicatorsService } from './indicators.service';
import { ResettlementIndicatorSet, ResettlementPeriodInput } from './indicators.types';

@Resolver(() => ResettlementIndicatorSet)
export class ResettlementIndicatorsResolver {
  constructor(private readonly indicators: ResettlementIndicatorsService) {}

  @Roles(...INDICATOR_READERS)
  @Query(() => [ResettlementIndicatorSet], { description: 'K-RS1 … K-RS12 per town of the caller, then the city row (town null) / 安置帮教指标（各镇街及全市）' })
  async resettlementIndicators(@CurrentPrincipal() caller: Principal, @Args('period', { type: () => ResettlementPeriodInput }) input: ResettlementPeriodInput): Promise<ResettlementIndicatorSet[]> {
    const period = periodRange(input.kind, input.year, input.number);
    const rows = await this.indicators.forTowns(caller, period);
    if (rows.length === 0) return [];
    const head = { period: period.label, periodKind: period.kind, periodKindLabel: PERIOD_KIND_LABELS[period.kind] };
    return [
      ...rows.map((r) => ({ ...head, town: { code: r.town as string, name: townName(r.town as string) ?? (r.town as string) }, indicators: r.indicators })),
      { ...head, town: null, indicators: this.indicators.city(rows).indicators },
    ];
  }
}

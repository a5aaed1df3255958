import { Args, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { PERIOD_KIND_LABELS, PeriodKind, periodRange, townName } from '@homeward/domain';
import { CurrentPrincipal, INDICATOR_READERS, Principal, Roles } from '@homeward/platform';
import { labelled } from '../common/labelled';
import { AftercareIndicatorsService } from './indicators.service';
import { AftercareIndicatorSet, AftercarePeriodInput } from './indicators.types';

registerEnumType(PeriodKind, { name: 'PeriodKind', description: 'Statistical period / 统计期间', valuesMap: labelled(PERIOD_KIND_LABELS) });

@Resolver(() => AftercareIndicatorSet)
export class AftercareIndicatorsResolver {
  constructor(private readonly indicators: AftercareIndicatorsService) {}

  @Roles(...INDICATOR_READERS)
  @Query(() => [AftercareIndicatorSet], { description: 'K-AC1 … K-AC4 per station (town) of the caller, then the city row (town null) / 后续照管指标（各镇街及全市）' })
  async aftercareIndicators(@CurrentPrincipal() caller: Principal, @Args('period', { type: () => AftercarePeriodInput }) input: AftercarePeriodInput): Promise<AftercareIndicatorSet[]> {
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

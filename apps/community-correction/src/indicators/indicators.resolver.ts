import { Args, Context, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { PERIOD_KIND_LABELS, PeriodRange, Role, periodRange, townName } from '@homeward/domain';
import { CurrentPrincipal, INDICATOR_READERS, LoaderContext, Principal, Roles, Town, canSeeTown, fieldLoader } from '@homeward/platform';
import { CorrectionIndicatorSet, PeriodInput } from './indicators.types';
import { IndicatorRow, IndicatorsService } from './indicators.service';

export function toIndicatorSet(row: IndicatorRow, period: PeriodRange): CorrectionIndicatorSet {
  return {
    period: period.label,
    periodKind: period.kind,
    periodKindLabel: PERIOD_KIND_LABELS[period.kind],
    town: row.town,
    indicators: row.indicators,
  };
}

/** The Town entity in the correction subgraph: its K-CC indicators (batched: one set of statements for all towns). */
@Resolver(() => Town)
export class TownIndicatorsResolver {
  constructor(private readonly indicators: IndicatorsService) {}

  @ResolveReference()
  resolveReference(ref: { __typename: string; code: string }): Town {
    return { code: ref.code, name: townName(ref.code) };
  }

  @Roles(...INDICATOR_READERS)
  @ResolveField(() => CorrectionIndicatorSet, {
    nullable: true,
    description: "K-CC1…K-CC7 of this town for a period; null for a town outside the caller's towns / 本镇社区矫正指标",
  })
  async correctionIndicators(
    @CurrentPrincipal() caller: Principal,
    @Parent() town: Town,
    @Args('period', { type: () => PeriodInput }) input: PeriodInput,
    @Context() ctx: LoaderContext,
  ): Promise<CorrectionIndicatorSet | null> {
    const period = periodRange(input.kind, input.year, input.number);
    if (!canSeeTown(caller, town.code)) return null;
    const row = await fieldLoader<IndicatorRow | null>(
      ctx,
      `correctionIndicators:${period.label}`,
      async (codes) => new Map((await this.indicators.forTowns(caller, codes, period)).map((r) => [r.town as string, r])),
      null,
      { windowMs: 10 }, // one set of indicator statements for every town of the request, even on a loaded machine
    ).load(town.code);
    return row ? toIndicatorSet(row, period) : null;
  }
}

@Resolver(() => CorrectionIndicatorSet)
export class CityIndicatorsResolver {
  constructor(private readonly indicators: IndicatorsService) {}

  @Roles(Role.CITY_ADMIN)
  @Query(() => CorrectionIndicatorSet, { description: 'K-CC1…K-CC7 of the whole city for a period (CITY_ADMIN) / 全市社区矫正指标' })
  async cityCorrectionIndicators(@CurrentPrincipal() caller: Principal, @Args('period', { type: () => PeriodInput }) input: PeriodInput): Promise<CorrectionIndicatorSet> {
    const period = periodRange(input.kind, input.year, input.number);
    return toIndicatorSet(await this.indicators.forCity(caller, period), period);
  }
}

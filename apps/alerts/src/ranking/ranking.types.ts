import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { INDICATOR_AVAILABILITY_LABELS, IndicatorAvailability, PERIOD_KIND_LABELS, PeriodKind, RANKING_WORKSTREAM_LABELS, RankingWorkstream } from '@homeward/domain';
import { Town } from '@homeward/platform';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));

registerEnumType(PeriodKind, { name: 'PeriodKind', description: 'Statistical period / 统计期间', valuesMap: labelled(PERIOD_KIND_LABELS) });
registerEnumType(RankingWorkstream, { name: 'RankingWorkstream', description: 'A workstream whose indicators are ranked / 考评业务条线', valuesMap: labelled(RANKING_WORKSTREAM_LABELS) });
registerEnumType(IndicatorAvailability, {
  name: 'IndicatorAvailability',
  description: 'Whether an indicator counted in a town score / 指标是否计入',
  valuesMap: labelled(INDICATOR_AVAILABILITY_LABELS),
});

@InputType('RankingPeriodInput', { description: 'A month, quarter or year / 考评期间（月、季、年）' })
export class RankingPeriodInput {
  @Field(() => PeriodKind) @IsEnum(PeriodKind) kind: PeriodKind;
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year: number;
  @Field(() => Int, { nullable: true, description: 'Month 1–12 (MONTH) or quarter 1–4 (QUARTER); omitted for YEAR' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  number?: number;
}

@ObjectType('RankedIndicatorScore', { description: 'One indicator in a town score / 考评指标得分' })
export class RankedIndicatorScoreType {
  @Field({ description: 'K-CC1 … K-RS12 … K-AC4' }) code: string;
  @Field({ description: '中文名称' }) label: string;
  @Field(() => RankingWorkstream) workstream: RankingWorkstream;
  @Field() workstreamLabel: string;
  @Field(() => Float, { description: 'weight of the year (cfg) / 权重' }) weight: number;
  @Field(() => Float, { nullable: true, description: 'the value published (1 = 100%); null when not available' }) value: number | null;
  @Field(() => IndicatorAvailability) availability: IndicatorAvailability;
  @Field() availabilityLabel: string;
  @Field(() => Float, { nullable: true, description: '0…1 (see docs/domain.md "The town ranking"); null when not available' }) attainment: number | null;
}

@ObjectType('TownRankingRow', { description: 'One town in the ranking / 镇街考评排名' })
export class TownRankingRowType {
  @Field(() => Town) town: Town;
  @Field(() => Float, { nullable: true, description: '0…100 over the available indicators; null when none was available / 得分' }) score: number | null;
  @Field(() => Int, { nullable: true, description: '1 = best; equal scores share a rank; null when not scored / 名次' }) rank: number | null;
  @Field({ description: 'among the bottom N (cfg) / 通报' }) flaggedForNotice: boolean;
  @Field(() => Float, { description: 'share of the weights the score rests on, 0…1 / 指标覆盖率' }) coverage: number;
  @Field(() => [RankedIndicatorScoreType]) indicators: RankedIndicatorScoreType[];
}

@ObjectType('RankingWorkstreamStatus', { description: "A workstream's snapshot for the period / 条线指标发布情况" })
export class RankingWorkstreamStatusType {
  @Field(() => RankingWorkstream) workstream: RankingWorkstream;
  @Field() workstreamLabel: string;
  @Field({ description: 'false: not yet available (no snapshot for the period) / 暂未提供' }) available: boolean;
  @Field(() => Date, { nullable: true }) publishedAt: Date | null;
}

@ObjectType('TownRanking', { description: 'The town ranking for a period (考评排名) / 镇街考评排名' })
export class TownRankingType {
  @Field(() => ID, { nullable: true, description: 'the stored ranking (history); null when computed on the fly' }) id: string | null;
  @Field({ description: '2027-03, 2027-Q1 or 2027' }) period: string;
  @Field(() => PeriodKind) periodKind: PeriodKind;
  @Field() periodKindLabel: string;
  @Field(() => Int, { description: 'the year whose weights (cfg) were used' }) weightsYear: number;
  @Field(() => Int, { description: 'bottom N flagged for notice (cfg)' }) bottomN: number;
  @Field(() => [RankingWorkstreamStatusType]) workstreams: RankingWorkstreamStatusType[];
  @Field(() => [TownRankingRowType], { description: 'best first; unscored towns last' }) rows: TownRankingRowType[];
  @Field() computedAt: Date;
  @Field(() => String, { nullable: true }) computedBy: string | null;
}

import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PERIOD_KIND_LABELS, PeriodKind } from '@homeward/domain';

registerEnumType(PeriodKind, {
  name: 'PeriodKind',
  description: 'Statistical period / 统计期间',
  valuesMap: Object.fromEntries(Object.entries(PERIOD_KIND_LABELS).map(([k, label]) => [k, { description: label }])),
});

@InputType({ description: 'A month, quarter or year / 统计期间（月、季、年）' })
export class PeriodInput {
  @Field(() => PeriodKind)
  @IsEnum(PeriodKind)
  kind: PeriodKind;

  @Field(() => Int)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;

  @Field(() => Int, { nullable: true, description: 'Month 1–12 (MONTH) or quarter 1–4 (QUARTER); omitted for YEAR' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  number?: number;
}

@ObjectType({ description: 'One indicator value (K-CC…) / 指标' })
export class CorrectionIndicator {
  @Field({ description: 'K-CC1 … K-CC8, K-CC3N (CC-3 notices), K-DQ1-TIMELY / -COMPLETE / -ACCURATE (CC-29)' })
  code: string;

  @Field({ description: '中文名称' })
  label: string;

  @Field(() => String, { nullable: true, description: 'English name (indicators added since K-CC8)' })
  en?: string | null;

  @Field(() => Float, { nullable: true, description: 'numerator / denominator as a fraction (1 = 100%); null when the denominator is 0' })
  value: number | null;

  @Field(() => Int)
  numerator: number;

  @Field(() => Int)
  denominator: number;

  @Field(() => Float, { nullable: true, description: 'Target as a fraction; null when only reported' })
  target: number | null;
}

@ObjectType({ description: 'The indicators of one town or the city for one period / 社区矫正指标' })
export class CorrectionIndicatorSet {
  @Field({ description: '2025-06, 2025-Q2 or 2025' })
  period: string;

  @Field(() => PeriodKind)
  periodKind: PeriodKind;

  @Field({ description: '统计期间（中文）' })
  periodKindLabel: string;

  @Field(() => String, { nullable: true, description: 'Town code; null for the city' })
  town: string | null;

  @Field(() => [CorrectionIndicator])
  indicators: CorrectionIndicator[];
}

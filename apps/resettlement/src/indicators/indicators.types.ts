import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PERIOD_KIND_LABELS, PeriodKind } from '@homeward/domain';
import { Town } from '@homeward/platform';
import { labelled } from '../cases/labelled';

registerEnumType(PeriodKind, { name: 'PeriodKind', description: 'Statistical period / 统计期间', valuesMap: labelled(PERIOD_KIND_LABELS) });

@InputType('ResettlementPeriodInput', { description: 'A month, quarter or year / 统计期间（月、季、年）' })
export class ResettlementPeriodInput {
  @Field(() => PeriodKind) @IsEnum(PeriodKind) kind: PeriodKind;
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year: number;
  @Field(() => Int, { nullable: true, description: 'Month 1–12 (MONTH) or quarter 1–4 (QUARTER); omitted for YEAR' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  number?: number;
}

@ObjectType({ description: 'One indicator value (K-RS…) / 安置帮教指标' })
export class ResettlementIndicator {
  @Field({ description: 'K-RS1 … K-RS12' }) code: string;
  @Field({ description: '中文名称' }) label: string;
  @Field(() => Float, { nullable: true, description: 'numerator / denominator (1 = 100%); null when the denominator is 0' }) value: number | null;
  @Field(() => Int) numerator: number;
  @Field(() => Int) denominator: number;
  @Field(() => Float, { nullable: true }) target: number | null;
}

@ObjectType({ description: 'K-RS1 … K-RS12 of one town, or the city (town null), for one period / 安置帮教指标' })
export class ResettlementIndicatorSet {
  @Field({ description: '2027-03, 2027-Q1 or 2027' }) period: string;
  @Field(() => PeriodKind) periodKind: PeriodKind;
  @Field() periodKindLabel: string;
  @Field(() => Town, { nullable: true, description: 'null: the city (the sum of the caller\'s towns) / 全市' }) town: Town | null;
  @Field(() => [ResettlementIndicator]) indicators: ResettlementIndicator[];
}

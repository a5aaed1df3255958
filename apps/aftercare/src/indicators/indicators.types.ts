import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PeriodKind } from '@homeward/domain';
import { Town } from '@homeward/platform';

@InputType('AftercarePeriodInput', { description: 'A month, quarter or year / 统计期间（月、季、年）' })
export class AftercarePeriodInput {
  @Field(() => PeriodKind) @IsEnum(PeriodKind) kind: PeriodKind;
  @Field(() => Int) @IsInt() @Min(2000) @Max(2100) year: number;
  @Field(() => Int, { nullable: true, description: 'Month 1–12 (MONTH) or quarter 1–4 (QUARTER); omitted for YEAR' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  number?: number;
}

@ObjectType({ description: 'One indicator value (K-AC…) / 后续照管指标' })
export class AftercareIndicator {
  @Field({ description: 'K-AC1, K-AC2, K-AC3-PHONE, K-AC3-VISIT, K-AC4' }) code: string;
  @Field({ description: '中文名称' }) label: string;
  @Field(() => Float, { nullable: true, description: 'numerator / denominator (1 = 100%); null (not available) when the denominator is 0' }) value: number | null;
  @Field(() => Int) numerator: number;
  @Field(() => Int) denominator: number;
  @Field(() => Float, { nullable: true }) target: number | null;
}

@ObjectType({ description: 'K-AC1 … K-AC4 of one station (town), or the city (town null), for one period / 后续照管指标' })
export class AftercareIndicatorSet {
  @Field({ description: '2027-03, 2027-Q1 or 2027' }) period: string;
  @Field(() => PeriodKind) periodKind: PeriodKind;
  @Field() periodKindLabel: string;
  @Field(() => Town, { nullable: true, description: "null: the city (the sum of the caller's towns) / 全市" }) town: Town | null;
  @Field(() => [AftercareIndicator]) indicators: AftercareIndicator[];
}

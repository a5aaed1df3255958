import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import { SUSPENDED_PENALTY_LABELS, SuspendedPenalty } from '@homeward/domain';
import { IsTownCode } from '@homeward/platform';

registerEnumType(SuspendedPenalty, {
  name: 'SuspendedPenalty',
  description: 'CC-6: the principal penalty a probation suspends / 缓刑所附主刑',
  valuesMap: Object.fromEntries(Object.entries(SUSPENDED_PENALTY_LABELS).map(([k, label]) => [k, { description: label }])),
});

@ObjectType('CorrectionPeriodConflict', { description: 'CC-6: the stored period does not fit the sentence / 矫正期限与刑罚不符' })
export class CorrectionPeriodConflictType {
  @Field({ description: 'The rule broken (English / 中文)' })
  rule: string;

  @Field({ description: 'Earliest allowed end date / 最早截止日' })
  earliestEnd: string;

  @Field({ description: 'Latest allowed end date / 最晚截止日' })
  latestEnd: string;
}

@InputType({ description: "CC-6: the officer completes the penalty a probation suspends / 补录缓刑所附主刑" })
export class CompleteSuspendedPenaltyInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => SuspendedPenalty)
  @IsEnum(SuspendedPenalty)
  suspendedPenalty: SuspendedPenalty;

  @Field(() => Int, { nullable: true, description: 'The suspended term (原判刑期) in months: 拘役 1–6, 有期徒刑 6–36' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36)
  suspendedTermMonths?: number;
}

@ArgsType()
export class SentenceReviewArgs {
  @Field(() => String, { nullable: true, description: 'town code; default all towns of the caller' })
  @IsOptional()
  @IsString()
  @IsTownCode()
  town?: string;

  @Field(() => Int, { defaultValue: 20 })
  @IsInt()
  @Min(1)
  @Max(100)
  first: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  after?: string;
}

import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DATE_WINDOWS, IsLocalDate, IsTownCode, Town } from '@homeward/platform';

@ObjectType('SensitivePeriod', { description: 'AL-4 重点时期: during it key persons are watched closer' })
export class SensitivePeriodType {
  @Field(() => ID)
  id: string;

  @Field({ description: 'e.g. 全国两会' })
  name: string;

  @Field({ description: 'first day, YYYY-MM-DD (Asia/Shanghai)' })
  startsOn: string;

  @Field({ description: 'last day, YYYY-MM-DD (inclusive)' })
  endsOn: string;

  @Field(() => [Town], { nullable: true, description: 'the towns it covers; null = every town / 全市' })
  towns: Town[] | null;

  @Field()
  createdBy: string;
}

@InputType()
export class CreateSensitivePeriodInput {
  @Field()
  @IsString()
  @MinLength(2)
  @MaxLength(120)
  name: string;

  @Field()
  @IsLocalDate(DATE_WINDOWS.schedule)
  startsOn: string;

  @Field()
  @IsLocalDate(DATE_WINDOWS.schedule)
  endsOn: string;

  @Field(() => [String], { nullable: true, description: 'town codes; omitted or null = every town' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsTownCode({ each: true })
  towns?: string[] | null;
}

@ArgsType()
export class SensitivePeriodsArgs {
  @Field({ description: 'periods that end on or after this day' })
  @IsLocalDate(DATE_WINDOWS.schedule)
  from: string;

  @Field({ description: 'periods that start on or before this day' })
  @IsLocalDate(DATE_WINDOWS.schedule)
  to: string;
}

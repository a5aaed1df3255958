import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, Min, ValidateNested } from 'class-validator';
import { ConnectionOf, IsTownCode, PageArgs, Town } from '@homeward/platform';
import { CorrectionSubjectType } from '../subjects/subject.types';
import { KeyPersonFlagLevel, TransformationProgress } from './key-person.entity';

registerEnumType(KeyPersonFlagLevel, { name: 'KeyPersonFlagLevel', description: 'CC-10 市级挂牌 / 镇级挂牌' });
registerEnumType(TransformationProgress, { name: 'TransformationProgress', description: 'CC-10 转化 progress' });

@ObjectType('KeyPersonEntry', { description: 'CC-10 one key person in a determination' })
export class KeyPersonEntryType {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  subjectId: string;

  @Field(() => CorrectionSubjectType, { nullable: true })
  subject?: CorrectionSubjectType | null;

  @Field(() => [String])
  reasons: string[];

  @Field(() => KeyPersonFlagLevel)
  flagLevel: KeyPersonFlagLevel;

  @Field()
  flagLevelLabel: string;

  @Field(() => TransformationProgress)
  transformationProgress: TransformationProgress;

  @Field()
  transformationProgressLabel: string;

  @Field({ description: '解除: no longer a key person' })
  released: boolean;

  @Field(() => String, { nullable: true, description: 'Month of the determination (current key persons)' })
  month?: string;

  @Field(() => Town, { nullable: true })
  town?: Town;
}

@ObjectType('KeyPersonDetermination', { description: 'CC-10 一月一认定: a town\'s determination for a month (a version)' })
export class KeyPersonDeterminationType {
  @Field(() => ID)
  id: string;

  @Field(() => Town)
  town: Town;

  @Field()
  month: string;

  @Field(() => Int)
  version: number;

  @Field()
  note: string;

  @Field()
  recordedBy: string;

  @Field()
  recordedAt: Date;

  @Field(() => [KeyPersonEntryType])
  entries: KeyPersonEntryType[];

  @Field(() => [Int], { description: 'All versions recorded for this town and month, newest first' })
  versions: number[];
}

@ObjectType()
export class KeyPersonConnection extends ConnectionOf(KeyPersonEntryType, 'KeyPerson') {}

@InputType()
export class KeyPersonEntryInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => [String])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(200, { each: true })
  reasons: string[];

  @Field(() => KeyPersonFlagLevel)
  @IsEnum(KeyPersonFlagLevel)
  flagLevel: KeyPersonFlagLevel;

  @Field(() => TransformationProgress)
  @IsEnum(TransformationProgress)
  transformationProgress: TransformationProgress;

  @Field({ defaultValue: false })
  @IsBoolean()
  released: boolean;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

@InputType()
export class RecordKeyPersonDeterminationInput {
  @Field()
  @IsTownCode()
  town: string;

  @Field({ description: 'YYYY-MM' })
  @Matches(MONTH, { message: 'month must be YYYY-MM' })
  month: string;

  @Field(() => [KeyPersonEntryInput], { description: 'May be empty: "no key person this month" is a determination too' })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => KeyPersonEntryInput)
  entries: KeyPersonEntryInput[];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

@ArgsType()
export class KeyPersonDeterminationArgs {
  @Field()
  @IsTownCode()
  town: string;

  @Field({ description: 'YYYY-MM' })
  @Matches(MONTH, { message: 'month must be YYYY-MM' })
  month: string;

  @Field(() => Int, { nullable: true, description: 'A given version; default the latest' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

@ArgsType()
export class CurrentKeyPersonsArgs extends PageArgs {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsTownCode()
  town?: string;
}

import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ArrayMaxSize, ArrayMinSize, IsEnum, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { DATA_RECORD_TYPE_LABELS, DataRecordType } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, IsTownCode } from '@homeward/platform';
import { PeriodInput } from '../indicators/indicators.types';

registerEnumType(DataRecordType, {
  name: 'DataRecordType',
  description: 'CC-29: a record type whose entry is measured / 数据质量考核的记录类型',
  valuesMap: Object.fromEntries(Object.entries(DATA_RECORD_TYPE_LABELS).map(([k, label]) => [k, { description: label }])),
});

@ObjectType('DataQualityFinding', { description: 'CC-29: a record entered late, incomplete or corrected / 数据质量问题' })
export class DataQualityFindingType {
  @Field(() => DataRecordType)
  recordType: DataRecordType;

  @Field({ description: 'English / 中文' })
  recordTypeLabel: string;

  @Field(() => ID)
  recordId: string;

  @Field(() => ID)
  subjectId: string;

  @Field()
  town: string;

  @Field({ description: 'the day the recorded event happened / 事件日期' })
  eventDate: string;

  @Field({ description: 'the day it was entered / 录入日期' })
  enteredOn: string;

  @Field({ description: 'the last day to enter it / 录入期限' })
  dueOn: string;

  @Field({ description: '数据及时: entered by dueOn' })
  onTime: boolean;

  @Field({ description: '数据完整: no required field missing at entry' })
  complete: boolean;

  @Field(() => [String], { description: 'required fields left empty at entry / 缺项' })
  missingFields: string[];

  @Field({ description: '数据准确: never corrected after entry' })
  accurate: boolean;
}

@ArgsType()
export class DataQualityFindingsArgs {
  @Field(() => PeriodInput)
  @ValidateNested()
  @Type(() => PeriodInput)
  period: PeriodInput;

  @Field(() => String, { nullable: true, description: 'town code; default all towns of the caller' })
  @IsOptional()
  @IsString()
  @IsTownCode()
  town?: string;
}

@InputType({ description: 'CC-29: an entered record was found wrong and corrected / 登记数据更正' })
export class RecordDataCorrectionInput {
  @Field(() => DataRecordType)
  @IsEnum(DataRecordType)
  recordType: DataRecordType;

  @Field(() => ID)
  @IsUUID()
  recordId: string;

  @Field({ description: 'YYYY-MM-DD' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  correctedOn: string;

  @Field(() => [String], { description: 'the fields corrected / 更正的字段' })
  @ArrayMinSize(1, { message: 'name at least one corrected field / 至少列出一个更正字段' })
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  fields: string[];

  @Field({ description: 'why / 更正原因' })
  @IsString()
  @IsNotEmpty({ message: 'reason is required / 请填写更正原因' })
  @MaxLength(1000)
  reason: string;
}

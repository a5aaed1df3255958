import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { WORK_LOG_KIND_LABELS, WorkLogKind, townName } from '@homeward/domain';
import { ConnectionOf, IsLocalDate, IsTownCode, PageArgs, Town } from '@homeward/platform';
import { labelled } from '../common/labelled';
import { WorkLogEntry } from './work-log-entry.entity';

registerEnumType(WorkLogKind, { name: 'WorkLogKind', description: 'AC-7 工作日志类型', valuesMap: labelled(WORK_LOG_KIND_LABELS) });

@ObjectType('WorkLogEntry', { description: 'AC-7 服务站工作日志' })
export class WorkLogEntryType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field() entryDate: string;
  @Field(() => WorkLogKind) kind: WorkLogKind;
  @Field() kindLabel: string;
  @Field() note: string;
  @Field() recordedBy: string;
  @Field() createdAt: Date;
}

@ObjectType()
export class WorkLogEntryConnection extends ConnectionOf(WorkLogEntryType, 'WorkLogEntry') {}

@InputType({ description: 'AC-7: one entry of the station\'s work log' })
export class AddWorkLogEntryInput {
  @Field() @IsTownCode() town: string;
  @Field() @IsLocalDate() entryDate: string;
  @Field(() => WorkLogKind) @IsEnum(WorkLogKind) kind: WorkLogKind;
  @Field() @IsString() @IsNotEmpty() @MaxLength(4000) note: string;
}

@ArgsType()
export class WorkLogArgs extends PageArgs {
  @Field({ nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field({ nullable: true, description: 'first day (entryDate) / 开始日期' }) @IsOptional() @IsLocalDate() from?: string;
  @Field({ nullable: true, description: 'last day (entryDate) / 结束日期' }) @IsOptional() @IsLocalDate() to?: string;
  @Field(() => WorkLogKind, { nullable: true }) @IsOptional() @IsEnum(WorkLogKind) kind?: WorkLogKind;
}

export function toWorkLogEntryType(w: WorkLogEntry): WorkLogEntryType {
  return { id: w.id, town: { code: w.town, name: townName(w.town) ?? w.town }, entryDate: w.entryDate, kind: w.kind, kindLabel: WORK_LOG_KIND_LABELS[w.kind], note: w.note, recordedBy: w.recordedBy, createdAt: w.createdAt };
}

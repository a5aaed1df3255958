import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import {
  LEAVE_APPROVAL_LEVEL_LABELS,
  LEAVE_KIND_LABELS,
  LEAVE_STATUS_LABELS,
  LeaveApprovalLevel,
  LeaveKind,
  LeaveStatus,
  townName,
} from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { LeaveRequest } from './leave.entity';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
registerEnumType(LeaveKind, { name: 'LeaveKind', description: 'CC-13 外出 / 变更执行地', valuesMap: labelled(LEAVE_KIND_LABELS) });
registerEnumType(LeaveStatus, { name: 'LeaveStatus', valuesMap: labelled(LEAVE_STATUS_LABELS) });
registerEnumType(LeaveApprovalLevel, { name: 'LeaveApprovalLevel', valuesMap: labelled(LEAVE_APPROVAL_LEVEL_LABELS) });

@InputType({ description: 'A box from the south-west to the north-east corner / 活动范围' })
export class TravelAreaInput {
  @Field(() => Float) @IsNumber() @Min(-90) @Max(90) minLat: number;
  @Field(() => Float) @IsNumber() @Min(-180) @Max(180) minLng: number;
  @Field(() => Float) @IsNumber() @Min(-90) @Max(90) maxLat: number;
  @Field(() => Float) @IsNumber() @Min(-180) @Max(180) maxLng: number;
}

@InputType({ description: 'CC-13: request leave or a change of residence / 外出（变更执行地）申请' })
export class RequestLeaveInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => LeaveKind) @IsEnum(LeaveKind) kind: LeaveKind;
  @Field() @IsString() @IsNotEmpty() @MaxLength(300) destination: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
  @Field(() => String, { nullable: true, description: 'CC-13 change of residence within Jiangyin: the new town; the case moves there on startDate / 迁入镇街' })
  @IsOptional()
  @IsTownCode()
  toTown?: string;
  @Field(() => String, { nullable: true, description: 'CC-13 change of residence out of Jiangyin: the receiving county\'s area code / 接收地县级行政区划代码' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'receivingCountyCode must be a six-digit area code / 行政区划代码须为六位数字' })
  receivingCountyCode?: string;
  @Field(() => String, { nullable: true, description: 'CC-13 out of Jiangyin: the receiving community-correction body / 接收地县级社区矫正机构' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  receivingAuthority?: string;
  @Field({ description: 'first day; for a change of residence the day the case moves / 起始日期（变更执行地：移交日期）' }) @IsLocalDate(DATE_WINDOWS.schedule) startDate: string;
  @Field({ description: 'inclusive' }) @IsLocalDate(DATE_WINDOWS.schedule) endDate: string;
  @Field(() => TravelAreaInput, { nullable: true, description: 'CC-12: where location fixes are allowed during the leave' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TravelAreaInput)
  travelArea?: TravelAreaInput;
}

@InputType()
export class DecideLeaveInput {
  @Field(() => ID) @IsUUID() leaveId: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

@InputType()
export class RecordLeaveReturnInput {
  @Field(() => ID) @IsUUID() leaveId: string;
  @Field({ description: 'YYYY-MM-DD' }) @IsLocalDate(DATE_WINDOWS.recorded) returnedOn: string;
}

@ObjectType('Leave', { description: 'CC-13 外出 / 变更执行地' })
export class LeaveType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field(() => LeaveKind) kind: LeaveKind;
  @Field() kindLabel: string;
  @Field() destination: string;
  @Field() reason: string;
  @Field(() => Town, { nullable: true, description: 'CC-13 change of residence: the new town / 迁入镇街' }) toTown: Town | null;
  @Field(() => String, { nullable: true }) receivingCountyCode: string | null;
  @Field(() => String, { nullable: true }) receivingAuthority: string | null;
  @Field() startDate: string;
  @Field() endDate: string;
  @Field(() => Int) days: number;
  @Field(() => LeaveApprovalLevel, { description: 'who must approve' }) approvalLevel: LeaveApprovalLevel;
  @Field() approvalLevelLabel: string;
  @Field(() => LeaveStatus) status: LeaveStatus;
  @Field() statusLabel: string;
  @Field({ description: 'approved, not back, and past the end date / 逾期未归' }) overstayed: boolean;
  @Field(() => String, { nullable: true }) decidedBy: string | null;
  @Field(() => String, { nullable: true }) decisionNote: string | null;
  @Field(() => String, { nullable: true }) returnedOn: string | null;
  @Field() requestedAt: Date;
}

@ObjectType()
export class LeaveConnection extends ConnectionOf(LeaveType, 'Leave') {}

@ArgsType()
export class LeavesArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => LeaveStatus, { nullable: true }) @IsOptional() @IsEnum(LeaveStatus) status?: LeaveStatus;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() subjectId?: string;
}

export function toLeaveType(l: LeaveRequest, today: string, days: number): LeaveType {
  return {
    id: l.id,
    subjectId: l.subjectId,
    town: { code: l.town, name: townName(l.town) },
    person: { key: l.personKey } as Person,
    kind: l.kind,
    kindLabel: LEAVE_KIND_LABELS[l.kind],
    destination: l.destination,
    reason: l.reason,
    toTown: l.toTown ? { code: l.toTown, name: townName(l.toTown) } : null,
    receivingCountyCode: l.receivingCountyCode,
    receivingAuthority: l.receivingAuthority,
    startDate: l.startDate,
    endDate: l.endDate,
    days,
    approvalLevel: l.approvalLevel,
    approvalLevelLabel: LEAVE_APPROVAL_LEVEL_LABELS[l.approvalLevel],
    status: l.status,
    statusLabel: LEAVE_STATUS_LABELS[l.status],
    overstayed: l.kind === LeaveKind.LEAVE && l.status === LeaveStatus.APPROVED && l.endDate < today,
    decidedBy: l.decidedBy,
    decisionNote: l.decisionNote,
    returnedOn: l.returnedOn,
    requestedAt: l.createdAt,
  };
}

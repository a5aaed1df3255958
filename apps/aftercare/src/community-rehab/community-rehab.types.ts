import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { COMMUNITY_REHAB_END_REASON_LABELS, CommunityRehabEndReason, daysBetween } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, IsTownCode } from '@homeward/platform';
import { AftercareCaseType } from '../cases/aftercare-case.types';
import { CommunityRehabPeriod } from './community-rehab-period.entity';

registerEnumType(CommunityRehabEndReason, {
  name: 'CommunityRehabEndReason',
  description: 'AC-5 社区康复结束原因',
  valuesMap: Object.fromEntries(Object.entries(COMMUNITY_REHAB_END_REASON_LABELS).map(([k, v]) => [k, { description: v }])),
});

@ObjectType('CommunityRehabPeriod', { description: 'AC-5 社区康复 (at most 36 months, cfg)' })
export class CommunityRehabPeriodType {
  @Field(() => ID) id: string;
  @Field(() => ID) caseId: string;
  @Field({ description: '开始日期' }) startDate: string;
  @Field({ description: '社区康复决定书文号' }) decisionNo: string;
  @Field(() => Int, { description: '决定期限（月）' }) months: number;
  @Field({ description: 'start + months − 1 day / 计划结束日期' }) plannedEnd: string;
  @Field(() => String, { nullable: true, description: '实际结束日期' }) endedOn: string | null;
  @Field(() => CommunityRehabEndReason, { nullable: true }) endReason: CommunityRehabEndReason | null;
  @Field(() => String, { nullable: true }) endReasonLabel: string | null;
  @Field({ description: 'not ended yet / 社区康复中' }) open: boolean;
  @Field(() => Int, { description: 'days from today to the planned end (negative when past) / 距计划结束天数' }) daysToPlannedEnd: number;
  @Field() recordedBy: string;
}

export function toPeriodType(p: CommunityRehabPeriod, today: string): CommunityRehabPeriodType {
  return {
    id: p.id,
    caseId: p.caseId,
    startDate: p.startDate,
    decisionNo: p.decisionNo,
    months: p.months,
    plannedEnd: p.plannedEnd,
    endedOn: p.endedOn,
    endReason: p.endReason,
    endReasonLabel: p.endReason ? COMMUNITY_REHAB_END_REASON_LABELS[p.endReason] : null,
    open: p.endedOn === null,
    daysToPlannedEnd: daysBetween(today, p.plannedEnd),
    recordedBy: p.recordedBy,
  };
}

@InputType({ description: 'AC-5: a community rehabilitation decided for the case / 登记社区康复' })
export class StartCommunityRehabilitationInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field({ description: '开始日期 (not before the release)' }) @IsLocalDate(DATE_WINDOWS.recorded) startDate: string;
  @Field({ description: '社区康复决定书文号' }) @IsString() @IsNotEmpty() @MaxLength(100) decisionNo: string;
  @Field(() => Int, { description: 'decided length in months, 1 … 36 (cfg) / 期限（月）' }) @IsInt() @Min(1) @Max(120) months: number;
}

@InputType({ description: 'AC-5: the community rehabilitation ended / 社区康复结束' })
export class EndCommunityRehabilitationInput {
  @Field(() => ID) @IsUUID() caseId: string;
  @Field({ description: '结束日期 (not before the start, not in the future)' }) @IsLocalDate(DATE_WINDOWS.recorded) endedOn: string;
  @Field(() => CommunityRehabEndReason) @IsEnum(CommunityRehabEndReason) reason: CommunityRehabEndReason;
}

@ArgsType()
export class CommunityRehabEndingArgs {
  @Field(() => Int, { defaultValue: 30, description: 'planned end within this many days from today (0 … 1100) / 天数' }) @IsInt() @Min(0) @Max(1100) withinDays = 30;
  @Field(() => String, { nullable: true, description: 'one of the caller\'s towns / 限定镇街' }) @IsOptional() @IsTownCode() town?: string;
}

@ObjectType('CommunityRehabEnding', { description: 'AC-5: an open community rehabilitation near (or past) its planned end / 社区康复即将期满' })
export class CommunityRehabEndingType {
  @Field(() => CommunityRehabPeriodType) period: CommunityRehabPeriodType;
  @Field(() => AftercareCaseType) aftercareCase: AftercareCaseType;
}

import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsLatitude, IsLongitude, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import {
  APP_CHECK_IN_OUTCOME_LABELS,
  CHECK_IN_CHANNEL_LABELS,
  CORRECTION_STATUS_LABELS,
  CheckInChannel,
  CorrectionStatus,
  SUPERVISION_LEVEL_LABELS,
  SupervisionLevel,
  townName,
  type AppCheckInOutcome,
} from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { ASSISTANCE_KIND_LABELS, ASSISTANCE_NEED_STATUS_LABELS, AssistanceKind, AssistanceNeed, AssistanceNeedStatus } from '../assistance/assistance.entity';
import { ACTIVITY_KIND_LABELS, ActivityKind } from '../check-ins/activity-hours.entity';
import { CheckIn } from '../check-ins/check-in.entity';
import { AppCheckInFailure, SELF_REPORT_STATUS_LABELS, SelfReportStatus, SelfReportedHours, SubjectMessage } from './subject-app.entity';
import type { AppCheckInResult, MyCorrection } from './subject-app.service';

const labelled = (labels: Record<string, string>) => Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, { description: v }]));
export enum AppCheckInOutcomeEnum {
  ACCEPTED = 'ACCEPTED',
  FACE_MATCH_FAILED = 'FACE_MATCH_FAILED',
}
registerEnumType(AppCheckInOutcomeEnum, { name: 'AppCheckInOutcome', description: 'CC-21 在矫通报到结果', valuesMap: labelled(APP_CHECK_IN_OUTCOME_LABELS) });
registerEnumType(SelfReportStatus, { name: 'SelfReportStatus', description: 'CC-21 自主申报状态', valuesMap: labelled(SELF_REPORT_STATUS_LABELS) });

// --- what the subject sees (在矫通): its own record, never an ID number, an alert, a risk rating or another person ---

@ObjectType('MyCorrection', { description: "CC-21 在矫通: the subject's own obligations and deadlines / 我的矫正" })
export class MyCorrectionType {
  @Field(() => ID, { description: 'The id of my correction record' }) id: string;
  @Field(() => CorrectionStatus) status: CorrectionStatus;
  @Field() statusLabel: string;
  @Field() correctionStartDate: string;
  @Field() correctionEndDate: string;
  @Field(() => String, { nullable: true, description: 'CC-4: report to the justice office by (while not yet reported) / 报到期限' }) reportDeadline: string | null;
  @Field(() => String, { nullable: true, description: 'CC-8 管理等级' }) supervisionLevelLabel: string | null;
  @Field(() => Int, { nullable: true }) checkInIntervalDays: number | null;
  @Field(() => String, { nullable: true, description: 'CC-9: next check-in due / 下次报告日期' }) nextCheckInDue: string | null;
  @Field(() => Int, { description: 'Days the check-in is overdue (0: not overdue) / 报告逾期天数' }) checkInOverdueDays: number;
  @Field(() => String, { nullable: true, description: 'This month (YYYY-MM)' }) month: string | null;
  @Field(() => Float, { nullable: true, description: 'Education hours due this month / 本月应完成教育学习小时' }) educationHoursDue: number | null;
  @Field(() => Float, { nullable: true }) educationHoursDone: number | null;
  @Field(() => Float, { nullable: true, description: 'Community service hours due this month / 本月应完成社区服务小时' }) communityServiceHoursDue: number | null;
  @Field(() => Float, { nullable: true }) communityServiceHoursDone: number | null;
  @Field(() => String, { nullable: true, description: 'CC-13: the approved leave I am on ends (back by) / 外出应返回日期' }) leaveEndsOn: string | null;
}

@ObjectType('AppCheckInResult', { description: 'CC-21: the outcome of an APP check-in / 在矫通报到结果' })
export class AppCheckInResultType {
  @Field(() => AppCheckInOutcomeEnum) outcome: AppCheckInOutcome;
  @Field() outcomeLabel: string;
  @Field() at: Date;
  @Field(() => ID, { nullable: true }) checkInId: string | null;
  @Field(() => String, { nullable: true }) nextCheckInDue: string | null;
}

@ObjectType('MyCheckIn', { description: 'CC-21: one of my check-ins (APP, phone/voice, face to face, video) / 我的报告记录' })
export class MyCheckInType {
  @Field(() => ID) id: string;
  @Field(() => CheckInChannel) channel: CheckInChannel;
  @Field() channelLabel: string;
  @Field() at: Date;
  @Field() onDate: string;
  @Field(() => Float, { nullable: true }) faceMatchScore: number | null;
  @Field(() => Int) daysLate: number;
}

@ObjectType('MyFailedCheckIn', { description: 'CC-21: an APP check-in of mine that failed the face match / 未通过的报到' })
export class MyFailedCheckInType {
  @Field(() => ID) id: string;
  @Field() at: Date;
  @Field(() => Float) faceMatchScore: number;
}

@ObjectType('MySelfReportedHours', { description: 'CC-21: self-study / self community service I reported / 自主学习、自主公益申报' })
export class MySelfReportedHoursType {
  @Field(() => ID) id: string;
  @Field(() => ActivityKind) kind: ActivityKind;
  @Field() kindLabel: string;
  @Field(() => Float) hours: number;
  @Field() onDate: string;
  @Field() note: string;
  @Field(() => SelfReportStatus) status: SelfReportStatus;
  @Field() statusLabel: string;
  @Field(() => String, { nullable: true }) rejectReason: string | null;
}

@ObjectType('MyAssistanceRequest', { description: 'CC-21 / CC-18: assistance I asked for, and what became of it / 我的帮扶申请' })
export class MyAssistanceRequestType {
  @Field(() => ID) id: string;
  @Field(() => AssistanceKind) kind: AssistanceKind;
  @Field() kindLabel: string;
  @Field() description: string;
  @Field() recordedOn: string;
  @Field(() => AssistanceNeedStatus) status: AssistanceNeedStatus;
  @Field() statusLabel: string;
  @Field(() => String, { nullable: true }) givenOn: string | null;
  @Field(() => String, { nullable: true }) givenNote: string | null;
}

@ObjectType('MyMessage', { description: 'CC-21: a message from the justice office / 司法所消息' })
export class MyMessageType {
  @Field(() => ID) id: string;
  @Field() body: string;
  @Field() sentAt: Date;
  @Field(() => Date, { nullable: true }) readAt: Date | null;
}

@InputType({ description: 'CC-21: check in by APP: the face-match score and location come from the device / 在矫通报到' })
export class AppCheckInInput {
  @Field(() => Float, { description: '0–1' }) @IsNumber() @Min(0) @Max(1) faceMatchScore: number;
  @Field(() => Float) @IsLatitude() lat: number;
  @Field(() => Float) @IsLongitude() lng: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

@InputType({ description: 'CC-21: hours of self-study or self community service / 自主申报时长' })
export class ReportHoursInput {
  @Field(() => Float) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.25) @Max(24) hours: number;
  @Field({ description: 'YYYY-MM-DD' }) @IsLocalDate(DATE_WINDOWS.recorded) onDate: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

@InputType({ description: 'CC-21 / CC-18: ask for assistance / 申请帮扶' })
export class RequestAssistanceInput {
  @Field(() => AssistanceKind) @IsEnum(AssistanceKind) kind: AssistanceKind;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) description: string;
}

// --- what the office sees ---

@ObjectType('SelfReportedHours', { description: 'CC-21: hours a subject reported in 在矫通 / 对象自主申报' })
export class SelfReportedHoursType extends MySelfReportedHoursType {
  @Field(() => ID) subjectId: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field(() => String, { nullable: true }) decidedBy: string | null;
  @Field(() => Date, { nullable: true }) decidedAt: Date | null;
  @Field() reportedAt: Date;
}

@ObjectType()
export class SelfReportedHoursConnection extends ConnectionOf(SelfReportedHoursType, 'SelfReportedHours') {}

@ObjectType('AppCheckInFailure', { description: 'CC-21: an APP check-in below the face-match threshold / 人脸比对未通过的报到' })
export class AppCheckInFailureType {
  @Field(() => ID) id: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Town) town: Town;
  @Field(() => Person) person: Person;
  @Field() at: Date;
  @Field(() => Float) faceMatchScore: number;
  @Field(() => Float) threshold: number;
  @Field(() => Float) lat: number;
  @Field(() => Float) lng: number;
}

@ObjectType()
export class AppCheckInFailureConnection extends ConnectionOf(AppCheckInFailureType, 'AppCheckInFailure') {}

@ObjectType('SubjectMessage', { description: 'CC-21: a message sent to a subject / 发给对象的消息' })
export class SubjectMessageType extends MyMessageType {
  @Field(() => ID) subjectId: string;
  @Field() sentBy: string;
}

@ArgsType()
export class OfficeListArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() subjectId?: string;
}

@InputType({ description: 'CC-21: send a message to the subject (在矫通) / 发送消息' })
export class SendSubjectMessageInput {
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(2000) body: string;
}

@InputType({ description: 'CC-21: not confirm self-reported hours / 不予确认' })
export class RejectHoursInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export function toMyCorrection(m: MyCorrection): MyCorrectionType {
  const s = m.subject;
  const c = m.compliance;
  return {
    id: s.id,
    status: s.status,
    statusLabel: CORRECTION_STATUS_LABELS[s.status],
    correctionStartDate: s.correctionStartDate,
    correctionEndDate: s.correctionEndDate,
    reportDeadline: s.status === CorrectionStatus.PENDING_REPORT ? s.reportDeadline : null,
    supervisionLevelLabel: m.level ? SUPERVISION_LEVEL_LABELS[m.level as SupervisionLevel] : null,
    checkInIntervalDays: m.checkInIntervalDays,
    nextCheckInDue: c?.nextCheckInDue ?? null,
    checkInOverdueDays: c?.overdueDays ?? 0,
    month: c?.month ?? null,
    educationHoursDue: c?.educationHoursDue ?? null,
    educationHoursDone: c?.educationHoursDone ?? null,
    communityServiceHoursDue: c?.communityServiceHoursDue ?? null,
    communityServiceHoursDone: c?.communityServiceHoursDone ?? null,
    leaveEndsOn: m.leaveEndsOn,
  };
}

export function toCheckInResult(r: AppCheckInResult): AppCheckInResultType {
  return { outcome: r.outcome, outcomeLabel: APP_CHECK_IN_OUTCOME_LABELS[r.outcome], at: r.at, checkInId: r.checkIn?.id ?? null, nextCheckInDue: r.nextCheckInDue };
}

export function toMyCheckIn(c: CheckIn): MyCheckInType {
  return { id: c.id, channel: c.channel, channelLabel: CHECK_IN_CHANNEL_LABELS[c.channel], at: c.at, onDate: c.onDate, faceMatchScore: c.faceMatchScore, daysLate: c.daysLate };
}

export function toMyFailedCheckIn(f: AppCheckInFailure): MyFailedCheckInType {
  return { id: f.id, at: f.at, faceMatchScore: f.faceMatchScore };
}

export function toMyHours(h: SelfReportedHours): MySelfReportedHoursType {
  return {
    id: h.id,
    kind: h.kind,
    kindLabel: ACTIVITY_KIND_LABELS[h.kind],
    hours: h.hours,
    onDate: h.onDate,
    note: h.note,
    status: h.status,
    statusLabel: SELF_REPORT_STATUS_LABELS[h.status],
    rejectReason: h.rejectReason,
  };
}

export function toOfficeHours(h: SelfReportedHours): SelfReportedHoursType {
  return {
    ...toMyHours(h),
    subjectId: h.subjectId,
    town: { code: h.town, name: townName(h.town) },
    person: { key: h.personKey } as Person,
    decidedBy: h.decidedBy,
    decidedAt: h.decidedAt,
    reportedAt: h.createdAt,
  };
}

export function toMyAssistance(n: AssistanceNeed): MyAssistanceRequestType {
  return {
    id: n.id,
    kind: n.kind,
    kindLabel: ASSISTANCE_KIND_LABELS[n.kind],
    description: n.description,
    recordedOn: n.recordedOn,
    status: n.status,
    statusLabel: ASSISTANCE_NEED_STATUS_LABELS[n.status],
    givenOn: n.givenOn,
    givenNote: n.givenNote,
  };
}

export function toMyMessage(m: SubjectMessage): MyMessageType {
  return { id: m.id, body: m.body, sentAt: m.sentAt, readAt: m.readAt };
}

export function toOfficeMessage(m: SubjectMessage): SubjectMessageType {
  return { ...toMyMessage(m), subjectId: m.subjectId, sentBy: m.sentBy };
}

export function toFailure(f: AppCheckInFailure): AppCheckInFailureType {
  return {
    id: f.id,
    subjectId: f.subjectId,
    town: { code: f.town, name: townName(f.town) },
    person: { key: f.personKey } as Person,
    at: f.at,
    faceMatchScore: f.faceMatchScore,
    threshold: f.threshold,
    lat: f.lat,
    lng: f.lng,
  };
}

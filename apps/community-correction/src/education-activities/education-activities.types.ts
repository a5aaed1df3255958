import { ArgsType, Field, Float, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsNotEmpty, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { townName } from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsLocalDate, IsTownCode, PageArgs, Person, Town } from '@homeward/platform';
import { EDUCATION_SESSION_KIND_LABELS, EducationAttendance, EducationSession, EducationSessionKind } from './education-activity.entity';
import type { IntensiveTrainingDue, SessionDetail } from './education-activities.service';

registerEnumType(EducationSessionKind, {
  name: 'EducationSessionKind',
  description: 'CC-26 短期集训与三个专项活动',
  valuesMap: Object.fromEntries(Object.entries(EDUCATION_SESSION_KIND_LABELS).map(([k, v]) => [k, { description: v }])),
});

const townOf = (code: string): Town => ({ code, name: townName(code) });

@ObjectType('EducationSession', { description: 'CC-26 集中教育活动' })
export class EducationSessionType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field(() => EducationSessionKind) kind: EducationSessionKind;
  @Field() kindLabel: string;
  @Field() title: string;
  @Field() heldOn: string;
  @Field() place: string;
  @Field(() => Float) hours: number;
}

@ObjectType('EducationAttendance', { description: 'CC-26 参加活动的社区矫正对象（学时计入教育学习）' })
export class EducationAttendanceType {
  @Field(() => ID) id: string;
  @Field(() => ID) sessionId: string;
  @Field(() => ID) subjectId: string;
  @Field(() => Person) person: Person;
  @Field(() => String, { nullable: true, description: 'READING: the written reflection / 读后感' }) reflection: string | null;
  @Field(() => ID, { description: 'the CC-9 education hours it logged / 计入的教育学习记录' }) activityHoursId: string;
}

@ObjectType('EducationSessionDetail', { description: 'CC-26 活动详情' })
export class EducationSessionDetailType {
  @Field(() => EducationSessionType) session: EducationSessionType;
  @Field(() => [EducationAttendanceType]) attendances: EducationAttendanceType[];
}

@ObjectType('IntensiveTrainingDue', { description: 'CC-26 入矫首月尚未参加短期集训的对象' })
export class IntensiveTrainingDueType {
  @Field(() => ID) subjectId: string;
  @Field(() => Person) person: Person;
  @Field(() => Town) town: Town;
  @Field() supervisionStart: string;
  @Field({ description: 'last day of the first month / 入矫首月最后一日' }) firstMonthEndsOn: string;
}

@ObjectType()
export class EducationSessionConnection extends ConnectionOf(EducationSessionType, 'EducationSession') {}

@ObjectType()
export class IntensiveTrainingDueConnection extends ConnectionOf(IntensiveTrainingDueType, 'IntensiveTrainingDue') {}

@ArgsType()
export class EducationSessionsArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
  @Field(() => EducationSessionKind, { nullable: true }) @IsOptional() @IsEnum(EducationSessionKind) kind?: EducationSessionKind;
}

@ArgsType()
export class IntensiveTrainingDueArgs extends PageArgs {
  @Field(() => String, { nullable: true }) @IsOptional() @IsTownCode() town?: string;
}

@InputType({ description: 'CC-26: an education session / 登记教育活动' })
export class RecordEducationSessionInput {
  @Field() @IsTownCode() town: string;
  @Field(() => EducationSessionKind) @IsEnum(EducationSessionKind) kind: EducationSessionKind;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) title: string;
  @Field({ description: 'YYYY-MM-DD' }) @IsLocalDate(DATE_WINDOWS.schedule) heldOn: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) place: string;
  @Field(() => Float) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.5) @Max(80) hours: number;
}

@InputType({ description: 'CC-26: a subject attended / 登记对象参加活动' })
export class RecordEducationAttendanceInput {
  @Field(() => ID) @IsUUID() sessionId: string;
  @Field(() => ID) @IsUUID() subjectId: string;
  @Field(() => String, { nullable: true, description: 'READING: required / 读书活动必填读后感' }) @IsOptional() @IsString() @MaxLength(5000) reflection?: string;
}

export function toSessionType(s: EducationSession): EducationSessionType {
  return { id: s.id, town: townOf(s.town), kind: s.kind, kindLabel: EDUCATION_SESSION_KIND_LABELS[s.kind], title: s.title, heldOn: s.heldOn, place: s.place, hours: s.hours };
}

export function toAttendanceType(a: EducationAttendance): EducationAttendanceType {
  return { id: a.id, sessionId: a.sessionId, subjectId: a.subjectId, person: { key: a.personKey } as Person, reflection: a.reflection, activityHoursId: a.activityHoursId };
}

export function toSessionDetailType(d: SessionDetail): EducationSessionDetailType {
  return { session: toSessionType(d.session), attendances: d.attendances.map(toAttendanceType) };
}

export function toIntensiveDueType(d: IntensiveTrainingDue): IntensiveTrainingDueType {
  return {
    subjectId: d.subject.id,
    person: { key: d.subject.personKey } as Person,
    town: townOf(d.subject.town),
    supervisionStart: d.supervisionStart,
    firstMonthEndsOn: d.firstMonthEndsOn,
  };
}

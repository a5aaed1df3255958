import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { IsBoolean, IsDate, IsEnum, IsLatitude, IsLongitude, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { CheckInChannel } from '@homeward/domain';
import { ConnectionOf, DATE_WINDOWS, IsInstantWithin, IsLocalDate, PageArgs } from '@homeward/platform';
import { ActivityKind } from './activity-hours.entity';

registerEnumType(CheckInChannel, { name: 'CheckInChannel', description: 'CC-9 check-in channels' });
registerEnumType(ActivityKind, { name: 'ActivityKind', description: 'CC-9 education / community service' });

@ObjectType('CheckIn', { description: 'CC-9 报告' })
export class CheckInType {
  @Field(() => ID)
  id: string;

  @Field(() => CheckInChannel)
  channel: CheckInChannel;

  @Field({ description: 'Chinese label of the channel' })
  channelLabel: string;

  @Field()
  at: Date;

  @Field()
  onDate: string;

  @Field(() => Boolean, { nullable: true })
  faceMatch: boolean | null;

  @Field(() => Float, { nullable: true, description: 'CC-21: an APP check-in\'s face-match score from the device (0–1)' })
  faceMatchScore: number | null;

  @Field(() => Float, { nullable: true })
  lat: number | null;

  @Field(() => Float, { nullable: true })
  lng: number | null;

  @Field()
  note: string;

  @Field({ description: 'The day this check-in was due' })
  dueOn: string;

  @Field(() => Int, { description: 'Days after the due day (0: on time)' })
  daysLate: number;

  @Field()
  recordedBy: string;
}

@ObjectType()
export class CheckInConnection extends ConnectionOf(CheckInType, 'CheckIn') {}

@ObjectType('ActivityHours', { description: 'CC-9 教育学习 / 公益活动 hours' })
export class ActivityHoursType {
  @Field(() => ID)
  id: string;

  @Field(() => ActivityKind)
  kind: ActivityKind;

  @Field()
  kindLabel: string;

  @Field(() => Float)
  hours: number;

  @Field()
  onDate: string;

  @Field()
  note: string;
}

@ObjectType('Compliance', { description: 'CC-9 this month (by the service clock): check-ins and hours due and done' })
export class ComplianceType {
  @Field()
  month: string;

  @Field(() => Int)
  checkInsDue: number;

  @Field(() => Int)
  checkInsDone: number;

  @Field(() => Int)
  checkInsOverdue: number;

  @Field({ description: 'Last check-in + interval' })
  nextCheckInDue: string;

  @Field(() => Int, { description: '0 when not overdue' })
  overdueDays: number;

  @Field(() => Float)
  educationHoursDue: number;

  @Field(() => Float)
  educationHoursDone: number;

  @Field(() => Float)
  communityServiceHoursDue: number;

  @Field(() => Float)
  communityServiceHoursDone: number;
}

@InputType()
export class RecordCheckInInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => CheckInChannel)
  @IsEnum(CheckInChannel)
  channel: CheckInChannel;

  @Field()
  @Type(() => Date)
  @IsDate()
  @IsInstantWithin(DATE_WINDOWS.instant)
  at: Date;

  @Field(() => Boolean, { nullable: true, description: 'Face-match result (required for APP)' })
  @IsOptional()
  @IsBoolean()
  faceMatch?: boolean;

  @Field(() => Float, { nullable: true, description: 'Required for APP' })
  @IsOptional()
  @IsLatitude()
  lat?: number;

  @Field(() => Float, { nullable: true, description: 'Required for APP' })
  @IsOptional()
  @IsLongitude()
  lng?: number;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

@InputType()
export class LogHoursInput {
  @Field(() => ID)
  @IsUUID()
  subjectId: string;

  @Field(() => Float)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.25)
  @Max(24)
  hours: number;

  @Field({ description: 'YYYY-MM-DD' })
  @IsLocalDate(DATE_WINDOWS.recorded)
  onDate: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string;
}

@ArgsType()
export class CheckInsArgs extends PageArgs {

}

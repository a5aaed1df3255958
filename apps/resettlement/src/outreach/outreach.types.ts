import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { townName } from '@homeward/domain';
import { DATE_WINDOWS, IsLocalDate, IsTownCode, Town } from '@homeward/platform';
import { OutreachVisit, SocialWorkerEntry } from './outreach.entity';

const town = (code: string): Town => ({ code, name: townName(code) ?? code });

@ObjectType('OutreachVisit', { description: 'RS-9 延伸帮教' })
export class OutreachVisitType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field() prisonName: string;
  @Field() visitedOn: string;
  @Field(() => Int) participants: number;
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType('ResettlementSocialWorker', { description: 'RS-12 安置帮教社工' })
export class SocialWorkerType {
  @Field(() => ID) id: string;
  @Field(() => Town) town: Town;
  @Field() name: string;
  @Field() startedOn: string;
  @Field(() => String, { nullable: true }) endedOn: string | null;
}

@InputType({ description: 'RS-9: a visit to a prison / 登记延伸帮教' })
export class RecordOutreachVisitInput {
  @Field() @IsTownCode() town: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(200) prisonName: string;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) visitedOn: string;
  @Field(() => Int) @IsInt() @Min(1) @Max(1000) participants: number;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(1000) note?: string | null;
}

@InputType({ description: 'RS-12: a social worker joins the town\'s roster / 新增社工' })
export class AddSocialWorkerInput {
  @Field() @IsTownCode() town: string;
  @Field() @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) startedOn: string;
}

@InputType({ description: 'RS-12: a social worker leaves the roster / 社工离岗' })
export class EndSocialWorkerInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field() @IsLocalDate(DATE_WINDOWS.recorded) endedOn: string;
}

export function toOutreachVisitType(v: OutreachVisit): OutreachVisitType {
  return { id: v.id, town: town(v.town), prisonName: v.prisonName, visitedOn: v.visitedOn, participants: v.participants, note: v.note };
}

export function toSocialWorkerType(w: SocialWorkerEntry): SocialWorkerType {
  return { id: w.id, town: town(w.town), name: w.name, startedOn: w.startedOn, endedOn: w.endedOn };
}
